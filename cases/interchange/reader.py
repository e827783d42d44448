"""Read a JSON document field by field, collecting every problem with its JSON path."""

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any


class Problems(list[str]):
    def add(self, path: str, message: str) -> None:
        self.append(f"{path}: {message}")


class Reader:
    """A view of one JSON object at a path. Getters return None (and record a problem) when a value is wrong."""

    def __init__(self, data: Any, path: str, problems: Problems) -> None:
        self.path = path
        self.problems = problems
        if not isinstance(data, dict):
            problems.add(path, "not an object")
            data = {}
        self.data: dict[str, Any] = data

    def at(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def _raw(self, key: str, required: bool) -> Any:
        value = self.data.get(key)
        if value is None and required:
            self.problems.add(self.at(key), "is required")
        return value

    def text(self, key: str, required: bool = True, max_length: int = 200, pattern: str | None = None) -> str | None:
        value = self._raw(key, required)
        if value is None:
            return None
        if not isinstance(value, str):
            self.problems.add(self.at(key), "not a string")
            return None
        if "\x00" in value:
            self.problems.add(self.at(key), "contains a NUL character")
            return None
        if required and not value.strip():
            self.problems.add(self.at(key), "is required")
            return None
        if len(value) > max_length:
            self.problems.add(self.at(key), f"longer than {max_length} characters")
            return None
        if pattern and not re.fullmatch(pattern, value):
            self.problems.add(self.at(key), f"not in the format {pattern}")
            return None
        return value

    def choice(self, key: str, choices: set[str] | frozenset[str], required: bool = True) -> str | None:
        value = self._raw(key, required)
        if value is None:
            return None
        if not isinstance(value, str) or value not in choices:
            self.problems.add(self.at(key), f"not one of {', '.join(sorted(choices))}")
            return None
        return str(value)

    def day(self, key: str, required: bool = True) -> date | None:
        value = self._raw(key, required)
        if value is None:
            return None
        try:
            if not isinstance(value, str) or not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
                raise ValueError
            return date.fromisoformat(value)
        except ValueError:
            self.problems.add(self.at(key), "not a date")
            return None

    def moment(self, key: str, required: bool = True) -> datetime | None:
        value = self._raw(key, required)
        if value is None:
            return None
        try:
            parsed = datetime.fromisoformat(value) if isinstance(value, str) else None
        except ValueError:
            parsed = None
        if parsed is None or parsed.tzinfo is None:
            self.problems.add(self.at(key), "not a date-time with a time zone")
            return None
        return parsed

    def flag(self, key: str, default: bool | None = None) -> bool | None:
        value = self.data.get(key)
        if value is None:
            if default is None:
                self.problems.add(self.at(key), "is required")
            return default
        if not isinstance(value, bool):
            self.problems.add(self.at(key), "not true or false")
            return default
        return value

    def mapping(self, key: str) -> dict[str, Any]:
        value = self.data.get(key)
        if not isinstance(value, dict):
            self.problems.add(self.at(key), "not an object")
            return {}
        return value

    def integer(self, key: str, required: bool = True, low: int | None = None, high: int | None = None) -> int | None:
        value = self._raw(key, required)
        if value is None:
            return None
        if not isinstance(value, int) or isinstance(value, bool):
            self.problems.add(self.at(key), "not a whole number")
            return None
        if (low is not None and value < low) or (high is not None and value > high):
            self.problems.add(self.at(key), f"must be from {low} to {high}")
            return None
        return value

    def number(
        self, key: str, required: bool = True, low: Decimal | None = None, high: Decimal | None = None
    ) -> Decimal | None:
        value = self._raw(key, required)
        if value is None:
            return None
        try:
            if isinstance(value, bool) or not isinstance(value, int | float | str):
                raise InvalidOperation
            number = Decimal(str(value))
            if not number.is_finite():
                raise InvalidOperation
        except InvalidOperation:
            self.problems.add(self.at(key), "not a number")
            return None
        if (low is not None and number < low) or (high is not None and number > high):
            self.problems.add(self.at(key), f"must be from {low} to {high}")
            return None
        return number

    def items(self, key: str, required: bool = False) -> list["Reader"]:
        value = self._raw(key, required)
        if value is None:
            return []
        if not isinstance(value, list):
            self.problems.add(self.at(key), "not a list")
            return []
        return [Reader(item, f"{self.at(key)}[{index}]", self.problems) for index, item in enumerate(value)]


def in_order(reader: Reader, earlier: date | None, later: date | None, key: str, what: str) -> None:
    if earlier and later and later < earlier:
        reader.problems.add(reader.at(key), f"before {what}")
