"""Several querysets read in one statement: one round trip to PostgreSQL instead of one a queryset.

Each queryset's own SQL (its filters, annotations and ordering, exactly as the ORM compiles it) becomes one
branch of a UNION ALL that returns its rows as one JSON array, in the order the queryset gives them. The rows
come back as the ORM would have built them: model instances (with their annotations) for a model queryset,
dicts for `.values(...)`, tuples for `.values_list(...)`; each value of its field's Python type (dates, times
with their zone, decimals kept exact). Elsewhere than PostgreSQL (the SQLite quick-start) each queryset is
read on its own.

For a few rows a kind (one case's facts): reading JSON costs more per row than psycopg's own types, so a
batch of thousands of rows is better read one queryset at a time.

A queryset with select_related() comes back as Django builds it, each row with its related instances: its
columns are renamed by their place (the related models' columns share names with the model's).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from operator import itemgetter
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Field, Model, QuerySet
from django.db.models.query import ModelIterable, ValuesIterable, ValuesListIterable, get_related_populators


def read_together(querysets: dict[str, QuerySet[Any]]) -> dict[str, list[Any]]:
    """The rows of each queryset, by the name it was given, read in one statement."""
    if not querysets:
        return {}
    using = {qs.db for qs in querysets.values()}
    if len(using) != 1:
        raise ValueError(f"querysets read together must use one database, not {sorted(using)}")
    alias = using.pop()
    if connections[alias].vendor != "postgresql":
        return {name: list(qs) for name, qs in querysets.items()}
    return run(compile_together(querysets, alias))


@dataclass(frozen=True)
class Together:
    """One statement reading several querysets, compiled: its SQL and parameters, and how each part's rows are
    decoded (by the index its branch selects). It holds no queryset, so it can be kept and its parameters
    changed (probation/read_together_kept.py)."""

    alias: str
    names: tuple[str, ...]
    sql: str  # "" when every queryset can match nothing
    params: tuple[Any, ...]
    decoders: tuple[Decoder, ...]


def compile_together(querysets: dict[str, QuerySet[Any]], alias: str) -> Together:
    """The one statement for these querysets (on PostgreSQL)."""
    names = list(querysets)
    branches: list[str] = []
    params: list[Any] = []
    decoders = []
    for index, qs in enumerate(querysets.values()):
        if qs._iterable_class not in (ModelIterable, ValuesIterable, ValuesListIterable):
            raise ValueError(f"{names[index]}: only model, values() or values_list() querysets can be read together")
        if qs.query.select_related:
            branch, branch_params, decoder = _with_related(index, qs, alias)
            decoders.append(decoder)
            if branch:
                branches.append(branch)
                params.extend(branch_params)
            continue
        decoders.append(_decoder(qs))
        try:
            sql, branch_params = qs.query.sql_with_params()
        except EmptyResultSet:  # a filter that can match nothing (`__in=[]`): no rows, no branch
            continue
        # The queryset's rows as one JSON array, in the order the queryset gives them: each row an object, or for
        # values_list() an array of its values (a contact's history: half the time PostgreSQL takes to write it
        # and Python to read it, with no names repeated on every row). The order: json_agg over the queryset's
        # statement as a subquery takes the rows as that statement gives them. PostgreSQL never pulls a subquery
        # with an ORDER BY up into the query around it, so its sort feeds the aggregate (the documented way to
        # order an aggregate's input, "supplying the input values from a sorted subquery"). Numbering the rows
        # and ordering the aggregate by the numbers, as this did before, relied on the same and sorted every
        # branch a second time: 2 ms of the 10 it took to read a sentence of 4,000 contacts.
        branches.append(f"SELECT {index}, json_agg({_row(qs, alias)})::text FROM ({sql}) r")  # noqa: S608 - the ORM's own SQL; values are parameters
        params.extend(branch_params)
    return Together(alias, tuple(names), " UNION ALL ".join(branches), tuple(params), tuple(decoders))


def _with_related(index: int, qs: QuerySet[Any], alias: str) -> tuple[str, tuple[Any, ...], Decoder]:
    """A model queryset with select_related(): its branch, whose rows are arrays of the columns in the order the
    compiler selects them (renamed c0, c1...: the related models' columns share names with the model's), and
    their decoder, which builds the instances and their related ones as Django's own iterable does."""
    compiler = qs.query.get_compiler(using=alias)
    try:
        sql, branch_params = compiler.as_sql()
    except EmptyResultSet:
        return "", (), lambda rows: []
    select, klass_info, annotations = compiler.select, compiler.klass_info, compiler.annotation_col_map
    if qs._iterable_class is not ModelIterable or klass_info is None or len(select) > MAX_ARGUMENTS:
        raise ValueError(f"select_related() can be read together for model querysets of up to {MAX_ARGUMENTS} columns")
    columns = [f"c{place}" for place in range(len(select))]
    branch = (
        f"SELECT {index}, json_agg(json_build_array({', '.join(f'r.{c}' for c in columns)}))::text"  # noqa: S608 - the ORM's own SQL; values are parameters
        f" FROM ({sql}) AS r({', '.join(columns)})"
    )
    converting = [
        (place, convert) for place, (column, _, _) in enumerate(select) if (convert := _converter(column.output_field))
    ]
    model, db = klass_info["model"], qs.db
    first, last = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
    init_list = [column.target.attname for column, _, _ in select[first:last]]
    populators = get_related_populators(klass_info, select, db)  # type: ignore[call-arg]  # the stubs are of Django 6

    def instances(rows: list[Any]) -> list[Any]:
        found = []
        for row in rows:
            for place, convert in converting:
                if row[place] is not None:
                    row[place] = convert(row[place])
            obj = model.from_db(db, init_list, row[first:last])
            for populator in populators:
                populator.populate(row, obj)
            for name, place in annotations.items():
                setattr(obj, name, row[place])
            found.append(obj)
        return found

    return branch, tuple(branch_params), instances


MAX_ARGUMENTS = 100  # PostgreSQL's limit on a function's arguments (json_build_array)


def _listed(qs: QuerySet[Any]) -> list[str]:
    """The names of a values_list()'s values, in the order its rows give them: the names it was given (fields and
    annotations), then any other annotation, as Django's ValuesListIterable orders them."""
    query, named = qs.query, getattr(qs, "_fields", ())  # the stubs do not know a queryset's _fields
    if not named:
        return [*query.values_select, *query.annotation_select]
    return [*named, *(name for name in query.annotation_select if name not in named)]


def _row(qs: QuerySet[Any], alias: str) -> str:
    """How one row of the queryset is written in the JSON: an object by column, or an array in the order of a
    values_list()'s names (which the ORM gives its columns as their aliases)."""
    names = _listed(qs)
    if qs._iterable_class is not ValuesListIterable or len(names) > MAX_ARGUMENTS:
        return "r"
    quote = connections[alias].ops.quote_name
    return f"json_build_array({', '.join(f'r.{quote(name)}' for name in names)})"


def run(together: Together, params: tuple[Any, ...] | list[Any] | None = None) -> dict[str, list[Any]]:
    """The rows of a compiled statement (with other parameters of the same meaning, if given), by name."""
    found: dict[str, list[Any]] = {name: [] for name in together.names}
    if not together.sql:
        return found
    with connections[together.alias].cursor() as cursor:
        cursor.execute(together.sql, list(together.params if params is None else params))
        parts = cursor.fetchall()
    for part, text in parts:
        if text is not None:  # no rows
            found[together.names[part]] = together.decoders[part](json.loads(text, parse_float=Decimal))
    return found


Decoder = Callable[[list[Any]], list[Any]]  # a queryset's JSON rows, as the ORM would have given them


def _decoder(qs: QuerySet[Any]) -> Decoder:
    """How the JSON rows of a queryset become what the ORM gives: only values JSON cannot give as they are
    (dates, times, decimals...) are converted, in place."""
    model = qs.model
    annotations = {name: _converter(expression.output_field) for name, expression in qs.query.annotation_select.items()}
    if qs._iterable_class is ValuesIterable:
        fields = {name: _converter(_field(model, name)) for name in qs.query.values_select} | annotations
        converting = [(name, convert) for name, convert in fields.items() if convert is not None]

        def values(rows: list[dict[str, Any]]) -> list[Any]:
            for row in rows:
                for name, convert in converting:
                    if row[name] is not None:
                        row[name] = convert(row[name])
            return rows

        return values
    if qs._iterable_class is ValuesListIterable:
        names = _listed(qs)
        converters = [annotations[name] if name in annotations else _converter(_field(model, name)) for name in names]
        to_convert = [(place, convert) for place, convert in enumerate(converters) if convert is not None]
        if len(names) > MAX_ARGUMENTS:  # written as objects (_row)
            pick = itemgetter(*names)
            return lambda rows: _converted([list(pick(row)) for row in rows], to_convert)
        return lambda rows: _converted(rows, to_convert)
    db = qs.db
    concrete = [(f.column, f.attname, _converter(f)) for f in model._meta.concrete_fields]

    def instances(rows: list[dict[str, Any]]) -> list[Any]:
        found = []
        for row in rows:
            present = [(name, _python(convert, row[column])) for column, name, convert in concrete if column in row]
            obj = model.from_db(db, [name for name, _ in present], [value for _, value in present])
            for name, convert in annotations.items():
                setattr(obj, name, _python(convert, row[name]))
            found.append(obj)
        return found

    return instances


def _converted(rows: list[list[Any]], to_convert: list[tuple[int, Callable[[Any], Any]]]) -> list[tuple[Any, ...]]:
    """values_list() rows, each an array of its values, as the ORM's tuples (a contact's history: the hot loop of
    a refresh)."""
    if not to_convert:
        return [tuple(row) for row in rows]
    for row in rows:
        for place, convert in to_convert:
            if row[place] is not None:
                row[place] = convert(row[place])
    return [tuple(row) for row in rows]


# Values JSON gives as the ORM would (text, whole numbers, true and false): taken as they are.
AS_GIVEN = {
    "AutoField", "BigAutoField", "SmallAutoField", "BooleanField", "CharField", "TextField", "SlugField", "EmailField",
    "IntegerField", "BigIntegerField", "SmallIntegerField", "PositiveIntegerField", "PositiveBigIntegerField",
    "PositiveSmallIntegerField",
}  # fmt: skip
Converter = Callable[[Any], Any] | None
# JSON gives PostgreSQL's dates and times in ISO 8601 (times with their offset, the session's UTC): parsed
# straight, as the field's own to_python would, without its checks for other inputs (a tenth of the time).
PARSED: dict[str, Callable[[str], Any]] = {"DateTimeField": datetime.fromisoformat, "DateField": date.fromisoformat}


def _converter(field: Any) -> Converter:
    """How a JSON value becomes the field's Python value: dates, times and decimals through the field's own
    to_python; a JSON document with its numbers as JSON numbers (floats), not the exact decimals read here."""
    if field.is_relation:
        field = field.target_field
    kind = field.get_internal_type()
    if kind in AS_GIVEN:
        return None
    if kind == "JSONField":
        return _floats
    if kind in PARSED:
        return PARSED[kind]
    return field.to_python


def _python(convert: Converter, value: Any) -> Any:
    return value if convert is None or value is None else convert(value)


def _floats(value: Any) -> Any:
    if isinstance(value, Decimal):  # a JSON number with a fraction or an exponent (whole numbers come as int)
        return float(value)
    if isinstance(value, dict):
        return {key: _floats(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_floats(item) for item in value]
    return value


def _field(model: type[Model], path: str) -> Field[Any, Any]:
    """The field a values() name (`type__code`, `event_id`) reads."""
    *relations, last = path.split("__")
    for relation in relations:
        model = model._meta.get_field(relation).related_model  # type: ignore[assignment]
    field = model._meta.get_field(last)
    assert isinstance(field, Field)
    return field


def keep_as_prefetched(instance: Model, rows: dict[str, list[Any]]) -> None:
    """Rows of the instance's reverse relations (by related name) read together, kept where prefetch_related()
    keeps them, each row knowing the instance: `person.aliases.all()` then reads them without a query, in
    the order they were read."""
    cache = instance.__dict__.setdefault("_prefetched_objects_cache", {})
    for name, found in rows.items():
        manager = getattr(instance, name)
        for row in found:
            manager.field.set_cached_value(row, instance)
        queryset = manager.get_queryset()
        queryset._result_cache = found
        queryset._prefetch_done = True
        cache[manager.field.remote_field.cache_name] = queryset
