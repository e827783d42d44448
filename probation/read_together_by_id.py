"""read_together() for statements whose shape is fixed and only one id varies (the ledger's refresh of one
person, on every change to a case): compiled once per process, then only the id is put in.

Django compiles a queryset afresh on each read; for the fifteen querysets of one person's refresh that was
about half the Python cost of logging a contact. Here the querysets are built twice, with two sentinel ids,
and compiled; if the two statements have the same SQL and their parameters differ only where the sentinels
are, the statement is kept, and each later read puts the real id in those places, without building or
compiling a queryset. If they differ in any other way (the shape depends on the id), or the id is not a
whole number, or the database is not PostgreSQL, every read builds and compiles the querysets as
read_together() does. The rows are decoded by read_together's own decoders either way.

The shape must depend on nothing but the id, or on what the caller puts in `shape` (the cache key): a
queryset that filters on today's date, on a setting or on the user would be kept with the value it had
when first compiled, and the check cannot see that (both compilations see the same day).

Safe across threads: an entry is immutable and is computed again, to the same value, by a thread that finds
it missing.
"""

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.db.models import QuerySet

from probation.read_together import Together, compile_together, read_together, run

Build = Callable[[int], dict[str, QuerySet[Any]]]

# Two ids no row has (within a 32-bit integer column's range, which Django checks at compile time).
SENTINELS = (-1_987_654_321, -1_987_654_322)


@dataclass(frozen=True)
class Kept:
    """A statement compiled with the first sentinel, and where in its parameters the id goes."""

    together: Together
    places: tuple[int, ...]

    def read(self, id: int) -> dict[str, list[Any]]:
        params = list(self.together.params)
        for place in self.places:
            params[place] = id
        return run(self.together, params)


UNKEPT = None  # a shape whose statement cannot be kept: compiled on each read
_kept: dict[Hashable, Kept | None] = {}


def read_together_by_id(shape: Hashable, build: Build, id: int) -> dict[str, list[Any]]:
    """read_together(build(id)), compiled once per `shape` (see the module's docstring)."""
    if type(id) is not int:
        return read_together(build(id))
    try:
        kept = _kept[shape]
    except KeyError:
        kept = _kept[shape] = _keep(build)
    if kept is UNKEPT:
        return read_together(build(id))
    return kept.read(id)


def _keep(build: Build) -> Kept | None:
    """The statement `build` gives, if only the id varies in it; UNKEPT otherwise (and if building or compiling
    it fails with a sentinel: the read itself will say why, if it fails too)."""
    try:
        return _compare(build)
    except Exception:  # any failure here only means the statement is not kept
        return UNKEPT


def _compare(build: Build) -> Kept | None:
    first, second = (build(sentinel) for sentinel in SENTINELS)
    using = {qs.db for qs in (*first.values(), *second.values())}
    if len(using) != 1:
        return UNKEPT
    alias = using.pop()
    if connections[alias].vendor != "postgresql" or list(first) != list(second):
        return UNKEPT
    a, b = compile_together(first, alias), compile_together(second, alias)
    if not a.sql or a.sql != b.sql or len(a.params) != len(b.params):
        return UNKEPT
    places = []
    for place, (x, y) in enumerate(zip(a.params, b.params, strict=True)):
        if _is(x, SENTINELS[0]) and _is(y, SENTINELS[1]):
            places.append(place)
        elif _is(x, SENTINELS[0]) or _is(y, SENTINELS[1]) or type(x) is not type(y) or x != y:
            return UNKEPT
    return Kept(a, tuple(places)) if places else UNKEPT


def _is(value: Any, sentinel: int) -> bool:
    return type(value) is int and value == sentinel
