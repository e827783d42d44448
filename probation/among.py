"""`Among(F("event_id"), ids)`: a column among a list of ids, as one parameter (`= ANY(%s)`, an array) on
PostgreSQL, not `IN (%s, %s, ...)` with one parameter an id.

For a caseload's worth of ids read in each of several statements (Today: 105 events in five): Django prepares
each id of an `__in` on its own (about 0.3 ms of CPU a statement for 105), and a statement's text then depends
on how many there are, so a server that prepares statements (DATABASE_PREPARE_THRESHOLD) prepares one for each
size of caseload; as one array, one statement serves every officer. Elsewhere (the SQLite quick-start) it is
the `IN` list.

`Written(word)`: the other half of a statement prepared once, a constant of the code written into it rather than
passed as a parameter, where a partial index's condition needs to see it (below)."""

import re
from typing import Any

from django.db.models import CharField, Lookup, Value


class Among(Lookup):
    lookup_name = "among"
    prepare_rhs = False  # a list of whole numbers, given as it is

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, Any]:
        lhs, params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s)", (*params, [int(value) for value in self.rhs])

    def as_sqlite(self, compiler: Any, connection: Any) -> tuple[str, Any]:
        lhs, params = self.process_lhs(compiler, connection)
        ids = [int(value) for value in self.rhs]
        if not ids:
            return "0 = 1", tuple(params)
        return f"{lhs} IN ({', '.join(['%s'] * len(ids))})", (*params, *ids)


class Written(Value):
    """A text constant written into the statement, not passed as a parameter: in a statement PostgreSQL prepares
    once (its generic plan, for any values), a partial index whose condition names the constant
    (`outcome = ''`) can be used only if the statement says it too. For the code's own words (letters and
    underscores), never for input."""

    def __init__(self, text: str) -> None:
        if not re.fullmatch(r"[a-z_]*", text):
            raise ValueError(f"not a word of the code: {text!r}")
        super().__init__(str(text), output_field=CharField())

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, Any]:
        return f"'{self.value}'", ()


class AmongRows(Lookup):
    """`AmongRows(F("event_id"), events.values("id"))`: a column among the rows of a subquery, as
    `= ANY(ARRAY(subquery))` on PostgreSQL, not `IN (subquery)`. The planner takes the array as a handful of values
    and looks each up by the column's index, where for `IN` it may join, and hash every row of a large table
    (the open oversight tasks of a PDU: 2,778 events among 70,000 open tasks, 16 ms by a hash join, 2 ms so).
    Elsewhere it is the `IN`."""

    lookup_name = "among_rows"

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, Any]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} IN {rhs}", (*lhs_params, *rhs_params)

    def as_postgresql(self, compiler: Any, connection: Any) -> tuple[str, Any]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY(ARRAY{rhs})", (*lhs_params, *rhs_params)
