"""The Workload Management Tool's points (shared/DOMAIN.md, "Workload"), loaded as reference data.

Community A3..D0 and licence A3..D1 are as published; the licence table has no X0 tiers, so each takes its
letter's X1 points. Custody cases before release start with the licence points. Administrators may change
all of them (admin: Workload weights).
"""

from collections.abc import Iterator
from typing import Any

TIERS = [f"{letter}{n}" for letter in "ABCD" for n in "3210"]
COMMUNITY = dict(zip(TIERS, [206, 158, 146, 110, 146, 115, 102, 72, 79, 63, 50, 35, 51, 41, 29, 29], strict=True))
LICENCE_PUBLISHED = dict(
    zip(
        [f"{letter}{n}" for letter in "ABCD" for n in "321"],
        [219, 175, 163, 161, 132, 119, 77, 65, 52, 51, 43, 31],
        strict=True,
    )
)
LICENCE = {**LICENCE_PUBLISHED, **{f"{letter}0": LICENCE_PUBLISHED[f"{letter}1"] for letter in "ABCD"}}
COURT_REPORTS = {"standard": 138, "fast": 65}
TABLES = {"community": COMMUNITY, "licence": LICENCE, "custody": LICENCE, "court_report": COURT_REPORTS}


def published() -> Iterator[tuple[str, str, int]]:
    for kind, table in TABLES.items():
        for tier, points in table.items():
            yield kind, tier, points


def ensure_weights(model: Any) -> None:
    """Load the published points where none are set (keeps an administrator's changes)."""
    for kind, tier, points in published():
        model.objects.get_or_create(kind=kind, tier=tier, defaults={"points": points})
