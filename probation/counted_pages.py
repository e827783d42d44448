"""A page of a list read with how many rows the list has in all, in the statement that reads the page: one round
trip where Paginator takes two (its count, then its page), and none to compile where the statement is kept
(probation/read_together_kept.py). My cases and the contact log read their pages so."""

from collections.abc import Callable, Sequence
from typing import Any

from django.core.paginator import Page, Paginator

Read = Callable[[int], tuple[Sequence[Any], int]]  # a page's rows, and how many rows there are in all


def counted_page(read: Read, number: Any, size: int) -> Page[Any]:
    """The page `number` as the request gives it, read as Paginator.get_page() reads it: not a whole number, the
    first page; below 1 or past the end, the last. `read(page)` reads one page of `size` rows and the count of
    them all (which it may give as 0 when the page is empty). Past the end, the first page is read again to count
    them, then the last."""
    wanted = page_number(number)
    if wanted is not None:
        rows, total = read(wanted)
        if rows or wanted == 1:
            return Page(rows, wanted, Counted(total, size))
    rows, total = read(1)  # past the end, or the last page asked for: counted with the first
    last = max(1, -(-total // size))
    if last > 1:
        rows, total = read(last)
    return Page(rows, last, Counted(total, size))


class Counted(Paginator):
    """The paginator of a page read with the count of them all: it does not read, it counts."""

    def __init__(self, total: int, size: int) -> None:
        super().__init__([], size)
        self.total = total

    @property
    def count(self) -> int:
        return self.total


def page_number(number: Any) -> int | None:
    """The page asked for, as Paginator.get_page() reads it: 1 if it is not a whole number, None (the last
    page) if it is below 1."""
    try:
        if isinstance(number, float) and not number.is_integer():
            raise ValueError
        number = int(number)
    except (TypeError, ValueError):
        return 1
    return number if number >= 1 else None
