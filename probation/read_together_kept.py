"""read_together() for statements whose shape is fixed and only a few values vary (the ledger's refresh of one
person on every change to a case; a case page's person and event): compiled once per process, then only the
values are put in.

Django compiles a queryset afresh on each read; for the fifteen querysets of one person's refresh that was
about half the Python cost of logging a contact. Here the querysets are built twice, each value replaced by a
sentinel of its type (a whole number, a text, a day, a moment, or a list of whole numbers: a caseload's
event ids, passed as one array, probation/among.py), and compiled; if the two statements have
the same SQL and their parameters differ only where the sentinels are, the statement is kept, and each later
read puts the real values in those places, without building or compiling a queryset. If they differ in any
other way (the shape depends on a value), or a value is not a whole number, a text, a day, a moment or a list
of whole numbers, or the database is not PostgreSQL, every read builds and compiles the querysets as
read_together() does. The rows are decoded by read_together's own decoders either way.

The shape must depend on nothing but the values, or on what the caller puts in `shape` (the cache key): a
queryset that filters on today's date, on a setting or on the user's roles would be kept as it was when
first compiled, and the check cannot see that (both compilations see the same day and the same user).

A statement is kept for each database the router sends the read to (the replica, in reads_from_replica()).
The first read of a shape is compiled as it is.

Safe across threads: an entry is immutable and is computed again, to the same value, by a thread that finds
it missing.
"""

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from django.db import connections, router
from django.db.models import Model, QuerySet
from psycopg.types.json import Json, Jsonb

from probation.read_together import Together, compile_together, read_together, run

Value = int | str | date | datetime | list[int]
KINDS = (int, str, date, datetime, list)  # the kinds of value a kept statement takes (exactly: not a bool)
Build = Callable[..., dict[str, QuerySet[Any]]]  # the querysets, given the values


def _sentinels(index: int, kind: type) -> tuple[Value, Value]:
    """Two values of this kind no row has: whole numbers within a 32-bit column's range (Django checks it when
    it compiles), texts in capitals (a CRN is looked up in capitals), days and moments in the eleventh century
    (today, now: a page's lists as of the day); lists of whole numbers, one of one such number and one of two (of
    two lengths, so a shape that depends on how many there are differs: `__in`, a parameter an element, is not
    kept; a statement that takes the list as one array parameter, Among, is)."""
    if kind is list:
        whole = -1_987_654_321 - 2 * index
        return ([whole], [whole - 1, whole - 1_000_001])
    if kind is int:
        return (-1_987_654_321 - 2 * index, -1_987_654_322 - 2 * index)
    if kind is date:
        return (date(1001 + index, 1, 3), date(1001 + index, 2, 5))
    if kind is datetime:
        return (datetime(1001 + index, 1, 3, 4, 5, 6, tzinfo=UTC), datetime(1001 + index, 2, 5, 6, 7, 8, tzinfo=UTC))
    return (f"KEPT-SENTINEL-{index}-A", f"KEPT-SENTINEL-{index}-B")


@dataclass(frozen=True)
class Kept:
    """A statement compiled with the first sentinels, and where in its parameters each value goes."""

    together: Together
    places: tuple[tuple[int, int], ...]  # (parameter, value)

    def read(self, values: tuple[Value, ...]) -> dict[str, list[Any]]:
        params = list(self.together.params)
        for place, value in self.places:
            params[place] = values[value]
        return run(self.together, params)


UNKEPT = None  # a shape whose statement cannot be kept: compiled on each read
_kept: dict[Hashable, Kept | None] = {}  # by shape, kinds of the values, and database
_routed_by: dict[Hashable, type[Model]] = {}  # by shape and kinds: the model whose reads the router routes


def read_together_kept(shape: Hashable, build: Build, *values: Value) -> dict[str, list[Any]]:
    """read_together(build(*values)), compiled once per `shape` (see the module's docstring)."""
    kinds = tuple(type(value) for value in values)
    if any(kind not in KINDS for kind in kinds) or not all(map(_whole_numbers, _lists(values))):
        return read_together(build(*values))
    model = _routed_by.get((shape, kinds))
    if model is None:  # the first read: compiled as it is, learning which model the router is asked about
        querysets = build(*values)
        if querysets:
            _routed_by[(shape, kinds)] = next(iter(querysets.values())).model
        return read_together(querysets)
    # the database this read goes to now (a replica in reads_from_replica(), the primary otherwise), as the
    # querysets would be routed: a statement is kept for each
    key = (shape, kinds, router.db_for_read(model))
    try:
        kept = _kept[key]
    except KeyError:
        kept = _kept[key] = _keep(build, kinds, key[2])
    if kept is UNKEPT:
        return read_together(build(*values))
    return kept.read(values)


def _lists(values: tuple[Value, ...]) -> list[list[Any]]:
    return [value for value in values if type(value) is list]


def _whole_numbers(values: list[Any]) -> bool:
    return all(type(value) is int for value in values)  # exactly: not a bool


def _keep(build: Build, kinds: tuple[type, ...], alias: str) -> Kept | None:
    """The statement `build` gives, if only the values vary in it; UNKEPT otherwise (and if building or
    compiling it fails with the sentinels: the read itself will say why, if it fails too)."""
    try:
        return _compare(build, kinds, alias)
    except Exception:  # any failure here only means the statement is not kept
        return UNKEPT


def _compare(build: Build, kinds: tuple[type, ...], alias: str) -> Kept | None:
    sentinels = [_sentinels(index, kind) for index, kind in enumerate(kinds)]
    first, second = build(*(a for a, _ in sentinels)), build(*(b for _, b in sentinels))
    if {qs.db for qs in (*first.values(), *second.values())} != {alias}:
        return UNKEPT
    if connections[alias].vendor != "postgresql" or list(first) != list(second):
        return UNKEPT
    a, b = compile_together(first, alias), compile_together(second, alias)
    if not a.sql or a.sql != b.sql or len(a.params) != len(b.params):
        return UNKEPT
    places = []
    for place, (x, y) in enumerate(zip(a.params, b.params, strict=True)):
        value = _which(x, [first for first, _ in sentinels])
        if value is not None and _which(y, [second for _, second in sentinels]) == value:
            places.append((place, value))
        elif value is not None or _which(y, [b for _, b in sentinels]) is not None or not _same(x, y):
            return UNKEPT
    return Kept(a, tuple(places)) if places else UNKEPT


def _same(x: Any, y: Any) -> bool:
    """Whether two parameters are the same value of the same type; a JSON value by what it holds (psycopg's Json
    and Jsonb wrappers are equal only to themselves: `data__sensitive=True` is one in each compilation)."""
    if type(x) is not type(y):
        return False
    if isinstance(x, Json | Jsonb):
        return bool(x.obj == y.obj and x.dumps is y.dumps)
    return bool(x == y)


def _which(param: Any, sentinels: list[Value]) -> int | None:
    """The index of the value whose sentinel this parameter is, if it is one."""
    for index, sentinel in enumerate(sentinels):
        if type(param) is type(sentinel) and param == sentinel:
            return index
    return None
