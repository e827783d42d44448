"""Reference lists the forms offer on every request (contact types, the staff of a PDU), read from the shared
cache (Redis in production, `CACHE_URL`) instead of the database, and dropped when they change.

Each model listed here has a version number in the cache; a list's key carries the version it was read under.
Saving or deleting a row of the model (post_save / post_delete, in admin, a service or the shell) bumps the
version, now and again once the transaction commits (so a list read by another worker meanwhile, without the
change, is not kept): every web worker and machine then reads the list afresh, once. A bulk update that sends no
signals must call `changed(Model)` itself. If the cache cannot be reached, the list is read from the database.

Each process also keeps its own copy of a list as plain values, under the same key: a request then asks the cache
for the version only (one short round trip), not for the list (a PDU's 110 staff, unpickled, on every form of a
case). The copy is as fresh as the version it was read under: a change bumps the version every process reads. A
version never repeats, even if the cache is emptied (a version that is missing starts again from a random number,
not from 0), so a copy kept under an old number cannot be taken for a new list. The versions of every model
watched are read in one round trip by the first list a request asks for, and kept to the end of the request
(a change made in it drops them); a job or a command reads them each time.
"""

import logging
import secrets
from collections.abc import Callable
from contextvars import ContextVar
from typing import TypeVar

from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import models, transaction
from django.db.models.base import ModelState
from django.db.models.signals import post_delete, post_save

log = logging.getLogger(__name__)
M = TypeVar("M", bound=models.Model)
TIMEOUT = 60 * 60  # an hour: a change is seen at once through the version; this only bounds what is kept
_watched: set[type[models.Model]] = set()
COPIES_KEPT = 1000  # lists this process keeps a copy of (by key): past it, it starts again with none
_copies: dict[str, "Packed"] = {}
# The versions read in this request (by key), None outside a request (see the module's docstring).
_request_versions: ContextVar[dict[str, int] | None] = ContextVar("reference_versions", default=None)


def _version_key(model: type[models.Model]) -> str:
    return f"reference:{model._meta.label_lower}:version"


def changed(model: type[models.Model]) -> None:
    """Drop every cached list of this model (now, and again when the transaction commits)."""

    def bump() -> None:
        try:
            try:
                cache.incr(_version_key(model))
            except ValueError:  # never changed (or the cache was emptied): a number no version had before
                cache.set(_version_key(model), _fresh_version(), None)
        except Exception:
            log.warning("reference lists: the cache could not be reached to drop %s", model._meta.label)

    def drop_versions() -> None:
        if (versions := _request_versions.get()) is not None:
            versions.clear()

    def now_and_on_commit() -> None:
        bump()
        drop_versions()

    now_and_on_commit()
    transaction.on_commit(now_and_on_commit)


def _fresh_version() -> int:
    """A number no version had before (62 random bits: the clock may stand still, as in the tests)."""
    return secrets.randbits(62)


def _version(model: type[models.Model]) -> int:
    key = _version_key(model)
    versions = _request_versions.get()
    if versions is not None and key in versions:
        return versions[key]
    wanted = [_version_key(watched) for watched in _watched] if versions is not None else [key]
    found = cache.get_many(wanted)
    if key not in found:  # never changed, or the cache was emptied: a fresh number (see the docstring)
        cache.add(key, _fresh_version(), None)
        found[key] = cache.get(key) or 0
    if versions is not None:
        versions.update({name: int(version) for name, version in found.items()})
    return int(found[key])


def _request_starts(**kwargs: object) -> None:
    _request_versions.set({})


def _request_ends(**kwargs: object) -> None:
    _request_versions.set(None)


request_started.connect(_request_starts, dispatch_uid="reference-versions-start")
request_finished.connect(_request_ends, dispatch_uid="reference-versions-end")


def rows(model: type[M], name: str, read: Callable[[], list[M]]) -> list[M]:
    """The list `read()` returns, cached under `name` until a row of `model` changes."""
    if model not in _watched:
        raise ValueError(f"{model._meta.label}: watch() it before caching lists of it")
    try:
        key = f"reference:{model._meta.label_lower}:{_version(model)}:{name}"
        found: Packed | list[M] | None = _copies.get(key)
        if found is None:
            found = cache.get(key)
            _keep_copy(key, found)
    except Exception:
        log.warning("reference lists: the cache could not be reached; reading %s from the database", name)
        return read()
    if found is not None:
        return _unpacked(model, found)
    rows = read()
    try:
        packed = _packed(rows)
        cache.set(key, packed, TIMEOUT)
        _keep_copy(key, packed)
    except Exception:
        log.warning("reference lists: the cache could not be reached to keep %s", name)
    return rows


Packed = tuple[str | None, tuple[str, ...], list[tuple[object, ...]]]  # the database, the attributes, the values


def _keep_copy(key: str, found: object) -> None:
    """Keep this process's copy of a list, if it is plain values (instances could be changed by whoever gets them:
    every request unpacks its own)."""
    if not isinstance(found, tuple):
        return
    if len(_copies) >= COPIES_KEPT:
        _copies.clear()
    _copies[key] = found


def _packed(rows: list[M]) -> Packed | list[M]:
    """The rows as plain values, kept instead of the instances: a PDU's 110 staff unpickled as instances took
    0.5 ms on every form of a case (Django rebuilds each through its own unpickling); as values, a fifth of it.
    Rows carrying anything but their own values (a related row read with them) are kept as they are."""
    if not rows:
        return rows
    names = tuple(name for name in rows[0].__dict__ if name != "_state")
    same = all(row.__dict__.keys() == rows[0].__dict__.keys() and not row._state.fields_cache for row in rows)
    if not same:
        return rows
    values = [tuple(row.__dict__[name] for name in names) for row in rows]
    return (rows[0]._state.db, names, values)


def _unpacked(model: type[M], found: Packed | list[M]) -> list[M]:
    if isinstance(found, list):
        return found
    db, names, values = found
    rows = []
    for row_values in values:
        row = model.__new__(model)
        row.__dict__.update(zip(names, row_values, strict=True))
        row._state = ModelState()
        row._state.adding, row._state.db = False, db
        rows.append(row)
    return rows


def watch(model: type[models.Model]) -> None:
    """Drop the model's cached lists whenever one of its rows is saved or deleted."""
    if model in _watched:
        return
    _watched.add(model)

    def on_change(sender: type[models.Model], **kwargs: object) -> None:
        changed(model)

    post_save.connect(on_change, sender=model, weak=False, dispatch_uid=f"reference-save-{model._meta.label}")
    post_delete.connect(on_change, sender=model, weak=False, dispatch_uid=f"reference-delete-{model._meta.label}")
