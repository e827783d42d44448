"""Fair to small units (issue 19): the Wilson score interval against known values and its properties, rank
bands, and where a value stands against target by its interval."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from regions.performance.intervals import ABOVE, BELOW, WITHIN, Interval, against_target, bands, poisson, wilson
from regions.performance.league import league
from regions.performance.measures import MEASURES, Figures


def _bounds(k: int, n: int, places: int) -> tuple[float, float] | None:
    found = wilson(k, n)
    return None if found is None else (round(found.lower, places), round(found.upper, places))


def test_known_values() -> None:
    assert wilson(0, 0) is None
    assert _bounds(3, 3, 5) == (0.4385, 1.0)
    assert _bounds(1, 3, 5) == (0.06149, 0.79234)
    assert _bounds(144, 150, 5) == (0.91549, 0.98154)
    assert _bounds(0, 5, 5) == (0.0, 0.43448)
    # Newcombe (1998), Statistics in Medicine 17:857, Table I, method 3 (the score interval without correction)
    assert _bounds(81, 263, 4) == (0.2553, 0.3662)
    assert _bounds(15, 148, 4) == (0.0624, 0.1605)


@given(st.integers(1, 5000).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))))
def test_the_interval_holds_the_rate_and_stays_within_0_and_1(counts: tuple[int, int]) -> None:
    k, n = counts
    found = wilson(k, n)
    assert found is not None
    assert 0.0 <= found.lower <= k / n <= found.upper <= 1.0
    assert found.lower < found.upper


@given(st.integers(1, 300).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))), st.integers(2, 50))
def test_the_interval_narrows_as_the_counts_grow(counts: tuple[int, int], times: int) -> None:
    k, n = counts
    small, large = wilson(k, n), wilson(k * times, n * times)
    assert small is not None
    assert large is not None
    assert large.upper - large.lower < small.upper - small.lower


@given(st.integers(0, 200), st.floats(0.5, 5000))
def test_the_poisson_interval_holds_the_rate(count: int, exposure: float) -> None:
    found = poisson(count, exposure)
    assert found is not None
    assert 0.0 <= found.lower <= count / exposure <= found.upper
    assert poisson(count, 0) is None


def test_against_target_reads_the_interval() -> None:
    assert against_target(wilson(2, 3), 0.9) == WITHIN  # one miss in three: not below a 90% target
    assert against_target(wilson(80, 100), 0.9) == BELOW  # 71% to 87%: clearly below
    assert against_target(wilson(150, 150), 0.9) == ABOVE  # 97.5% to 100%: clearly above
    assert against_target(wilson(144, 150), 0.9) == ABOVE
    assert against_target(wilson(27, 30), 0.9) == WITHIN
    assert against_target(None, 0.9) == ""
    assert against_target(wilson(1, 2), None) == ""


@given(st.lists(st.integers(0, 400).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))), max_size=12))
def test_bands_follow_the_rule(units: list[tuple[int, int]]) -> None:
    ordered = sorted(units, key=lambda u: u[0] / u[1] if u[1] else -1, reverse=True)
    intervals = [wilson(k, n) for k, n in ordered]
    found = bands(intervals)
    counted = [(i, b) for i, b in zip(intervals, found, strict=True) if i is not None]
    assert all(b is None for i, b in zip(intervals, found, strict=True) if i is None)
    if not counted:
        return
    assert counted[0][1] == 1
    leaders: list[Interval] = []
    for interval, band in counted:
        assert band is not None
        assert 1 <= band <= len(leaders) + 1
        if band == len(leaders) + 1:
            leaders.append(interval)
        assert interval.overlaps(leaders[band - 1])  # a band's units overlap its first unit
        assert not any(interval.overlaps(leader) for leader in leaders[: band - 1])  # clear of every band above


@pytest.mark.django_db  # the league reads the recorded_late_share setting
def test_a_pdu_with_three_cases_is_not_last_for_one_miss() -> None:
    units = [(1, "BIG", "Big"), (2, "TINY", "Tiny"), (3, "MID", "Middling")]
    now: Figures = {1: {"ro_allocation": (144, 150)}, 2: {"ro_allocation": (2, 3)}, 3: {"ro_allocation": (80, 100)}}
    rows = {r.code: r for r in league(MEASURES["ro_allocation"], units, now, {}, 0.9)}
    assert rows["TINY"].value == pytest.approx(2 / 3)  # the lowest value of the three
    assert (rows["BIG"].band, rows["TINY"].band, rows["MID"].band) == (1, 1, 2)
    assert (rows["BIG"].rag, rows["TINY"].rag, rows["MID"].rag) == (ABOVE, WITHIN, BELOW)
    assert rows["TINY"].interval == wilson(2, 3)


@pytest.mark.django_db  # the league reads the recorded_late_share setting
def test_rates_per_100_and_per_case_year_have_intervals_in_their_own_unit() -> None:
    units = [(1, "A", "A")]
    per_100 = league(MEASURES["acceptable_absences"], units, {1: {"acceptable_absences": (5, 50)}}, {}, None)[0]
    assert per_100.value == 10.0
    assert per_100.interval is not None
    assert per_100.interval.lower < 10.0 < per_100.interval.upper <= 100.0
    continuity = league(MEASURES["ro_continuity"], units, {1: {"ro_continuity": (3, 3653)}}, {}, None)[0]
    assert continuity.interval is not None
    assert continuity.value is not None
    assert continuity.interval.lower < continuity.value < continuity.interval.upper
