"""Fair to small units (issue 19): every rate with its 95% Wilson score interval, league tables in bands
rather than a 1..N rank, and RAG against a target read from the interval. Pure functions, no database.

The Wilson score interval for k met out of n, z = 1.96:

    centre = (p + z²/2n) / (1 + z²/n),  half = z / (1 + z²/n) * sqrt(p(1 - p)/n + z²/4n²),  p = k / n

It stays inside [0, 1], is sensible at 0/n and n/n, and is wide when n is small: 1 of 3 is anywhere from
6% to 79%, 144 of 150 from 91.5% to 98.2%. No interval at 0/0. Changes of officer per case-year, a count
over time rather than a share, take the Poisson score interval instead (`poisson`).
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass

Z95 = 1.959963984540054  # the 97.5th percentile of the standard normal distribution


@dataclass(frozen=True)
class Interval:
    lower: float
    upper: float

    def overlaps(self, other: "Interval") -> bool:
        return self.lower <= other.upper and other.lower <= self.upper

    def scaled(self, factor: float) -> "Interval":
        return Interval(self.lower * factor, self.upper * factor)


def wilson(numerator: int, denominator: int, z: float = Z95) -> Interval | None:
    """The Wilson score interval of numerator / denominator (None when the denominator is 0)."""
    if denominator <= 0:
        return None
    n, p = denominator, min(max(numerator / denominator, 0.0), 1.0)
    z2 = z * z
    scale = 1 + z2 / n
    centre = (p + z2 / (2 * n)) / scale
    half = z / scale * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n))
    # The exact ends at 0/n and n/n (the formula gives them up to rounding).
    lower = 0.0 if numerator <= 0 else max(0.0, centre - half)
    upper = 1.0 if numerator >= denominator else min(1.0, centre + half)
    return Interval(lower, upper)


def poisson(count: int, exposure: float, z: float = Z95) -> Interval | None:
    """The score interval of a rate of events over an exposure (changes of officer per case-year): the rate r
    for which (count - r*exposure)² = z² r*exposure, i.e. (count + z²/2 ± z*sqrt(count + z²/4)) / exposure.
    None when there is no exposure."""
    if exposure <= 0:
        return None
    centre, half = count + z * z / 2, z * math.sqrt(count + z * z / 4)
    return Interval(max(0.0, centre - half) / exposure if count else 0.0, (centre + half) / exposure)


# Against target, read from the interval: words first (the tag's text), colour only beside them.
ABOVE, WITHIN, BELOW = "above", "within", "below"


def against_target(interval: Interval | None, target: float | None) -> str:
    """ "above" when the whole interval is above the target (its lower bound past it), "below" when the whole
    interval is below it (its upper bound short of it), "within" when the target lies inside the interval;
    "" when there is no interval or no target. A unit with 3 cases and one miss (2/3: 21% to 94%) is "within"
    a 90% target, not below it."""
    if interval is None or target is None:
        return ""
    if interval.lower > target:
        return ABOVE
    if interval.upper < target:
        return BELOW
    return WITHIN


def bands(intervals: Sequence[Interval | None]) -> list[int | None]:
    """Rank bands for units listed best first (by value): each unit's band, None for a unit with no interval.

    The rule: the first unit opens band 1. Each later unit joins the best band whose first unit's 95% interval
    overlaps its own; a unit overlapping none of them opens the next band. So a unit is in band k only when its
    whole interval lies beyond the intervals of the first units of bands 1 to k-1 (clearly worse than each, not
    one miss among a few cases), and units in one band are not ranked against each other."""
    found: list[int | None] = []
    leaders: list[Interval] = []
    for interval in intervals:
        if interval is None:
            found.append(None)
            continue
        band = next((n for n, leader in enumerate(leaders, start=1) if interval.overlaps(leader)), None)
        if band is None:
            leaders.append(interval)
            band = len(leaders)
        found.append(band)
    return found
