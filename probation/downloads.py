"""Spreadsheets people download: what a cell holds is data, never a formula the spreadsheet would run.

A cell of text that starts with `=`, `+`, `-` or `@` (or a tab or carriage return, which some spreadsheets
skip before looking) is read as a formula by Excel, LibreOffice and Google Sheets: a staff name typed as
`=HYPERLINK("http://x","y")` would become a live link, and worse. CSV cells of text like that are written with
a leading `'` (OWASP's advice: the spreadsheet shows the text as typed); Excel workbooks are written with text
as text (xlsxwriter's `strings_to_formulas` off), so nothing in them is a formula.
"""

import csv
from collections.abc import Iterable
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# xlsxwriter.Workbook options: text is written as text, never as a formula or a link.
WORKBOOK_OPTIONS = {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}


def safe_cell(value: Any) -> Any:
    """A CSV cell: text a spreadsheet would run as a formula gets a leading `'`; numbers are left as numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class SafeWriter:
    """csv.writer whose rows are written through safe_cell."""

    def __init__(self, file: Any, **options: Any) -> None:
        self.writer = csv.writer(file, **options)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self.writer.writerow([safe_cell(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(file: Any, **options: Any) -> SafeWriter:
    return SafeWriter(file, **options)
