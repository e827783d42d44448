"""Logs carry no personal data. The application logs paths and counts, never names or notes; but a
database error's text quotes the row it refused ("DETAIL:  Failing row contains (..., 'Sam', 'Example',
...)", "Key (crn)=(X123456) already exists"). This formatter keeps what went wrong and drops the values."""

import logging
import re

ROW_VALUES = re.compile(r"^(?P<lead>\s*(DETAIL|CONTEXT|HINT):\s*).*$", re.MULTILINE)
KEY_VALUES = re.compile(r"\(([^()]*)\)=\((?:[^()]|\([^()]*\))*\)")
FAILING_ROW = re.compile(r"Failing row contains \(.*\)")


def redact(text: str) -> str:
    text = ROW_VALUES.sub(r"\g<lead>[values withheld]", text)
    text = FAILING_ROW.sub("Failing row contains ([values withheld])", text)
    return KEY_VALUES.sub(r"(\1)=([withheld])", text)


class RedactingFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))
