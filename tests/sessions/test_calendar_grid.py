"""sessions.calendar_grid: the time grid's rows, shading and blocks, from plain values."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sessions.calendar_grid import (
    AWAY,
    BOOKED,
    BREAK,
    CLOSED,
    FREE,
    OUTSIDE,
    SKIPPED,
    Span,
    build_grid,
)
from sessions.slots import DateRule, WeeklyRange

LONDON = ZoneInfo("Europe/London")
SPRING = date(2026, 3, 29)  # Sunday: 01:00 GMT becomes 02:00 BST
AUTUMN = date(2026, 10, 25)  # Sunday: 02:00 BST becomes 01:00 GMT
MONDAY = date(2026, 6, 8)
# 09:00-12:30 and 13:30-17:00 every day: a lunch break from 12:30.
WEEKLY = [
    WeeklyRange(weekday, starts, ends)
    for weekday in range(7)
    for starts, ends in ((time(9), time(12, 30)), (time(13, 30), time(17)))
]


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), LONDON).astimezone(UTC)


def grid(days, **kwargs):
    options = {"tz": LONDON, "weekly": WEEKLY, "rules": [], "away": [], "spans": []}
    return build_grid(days, **options | kwargs)


def kinds(day) -> dict[str, str]:
    """Each empty cell's wall time (with " again" for a repeated hour) and kind."""
    return {e.row.label: e.kind for e in day.entries if not e.is_block}


def test_rows_are_quarter_hours_over_the_working_window():
    (day,) = grid([MONDAY]).days
    labels = [e.row.label for e in day.entries]
    assert labels[:3] == ["09:00", "09:15", "09:30"]
    assert labels[-1] == "16:45"
    assert len(labels) == 8 * 4


def test_a_lunch_break_at_half_past_is_a_break_not_hidden_by_hour_steps():
    shown = kinds(grid([MONDAY]).days[0])
    assert shown["12:15"] == FREE
    assert [shown[t] for t in ("12:30", "12:45", "13:00", "13:15")] == [BREAK] * 4
    assert shown["13:30"] == FREE


def test_the_23_hour_day_has_92_quarters_and_steps_over_the_skipped_hour():
    result = grid([SPRING], full_day=True)
    (day,) = result.days
    assert len([e for e in day.entries if e.bookable]) == 92
    labels = [row.label for row in result.rows]
    assert labels[3:5] == ["00:45", "02:00"]
    # 02:00 BST is the quarter after 00:45 GMT.
    cell = next(e for e in day.entries if e.row.label == "02:00")
    assert cell.starts_at == datetime(2026, 3, 29, 1, 0, tzinfo=UTC)


def test_in_a_week_the_skipped_hour_is_no_such_time_on_its_day_only():
    week = [SPRING - timedelta(days=6) + timedelta(days=n) for n in range(7)]
    result = grid(week, full_day=True)
    saturday, sunday = kinds(result.days[5]), kinds(result.days[6])
    assert [sunday[t] for t in ("01:00", "01:15", "01:30", "01:45")] == [SKIPPED] * 4
    assert saturday["01:00"] == OUTSIDE
    assert not next(e for e in result.days[6].entries if e.row.label == "01:00").bookable


def test_the_25_hour_day_repeats_its_hour_in_rows_of_its_own():
    result = grid([AUTUMN], full_day=True)
    (day,) = result.days
    assert len(result.rows) == 100
    assert len([e for e in day.entries if e.bookable]) == 100
    labels = [row.label for row in result.rows]
    assert labels[4:12] == [
        "01:00",
        "01:15",
        "01:30",
        "01:45",
        "01:00 again",
        "01:15 again",
        "01:30 again",
        "01:45 again",
    ]
    first, again = (e for e in day.entries if e.row.wall == time(1))
    assert again.starts_at - first.starts_at == timedelta(hours=1)


def test_a_week_across_a_clock_change_keeps_its_columns_aligned():
    week = [AUTUMN - timedelta(days=6) + timedelta(days=n) for n in range(7)]
    result = grid(week, full_day=True)
    # Every column has a cell or block for every row, so the rows line up.
    for day in result.days:
        assert sum(e.rows if e.is_block else 1 for e in day.entries) == len(result.rows)
    monday = kinds(result.days[0])
    assert monday["01:00"] == OUTSIDE
    assert monday["01:00 again"] == SKIPPED


def test_a_booking_is_a_block_sized_by_its_rows_with_travel_and_buffer_parts():
    span = Span(
        item="visit",
        starts_at=at(MONDAY, 10),
        ends_at=at(MONDAY, 11),
        blocks_from=at(MONDAY, 9, 30),
        blocks_until=at(MONDAY, 11, 45),
    )
    (day,) = grid([MONDAY], spans=[span]).days
    (block,) = [e for e in day.entries if e.is_block]
    assert block.item == "visit"
    assert block.row.label == "09:30"
    assert block.rows == 9
    assert [(p.kind, p.rows) for p in block.parts] == [
        ("travel", 2),
        ("session", 4),
        ("buffer", 3),
    ]
    # The rows the block covers are not empty cells.
    assert "10:00" not in kinds(day)
    assert kinds(day)["09:15"] == FREE
    assert kinds(day)["11:45"] == FREE


def test_a_ten_minute_buffer_takes_the_whole_quarter():
    span = Span("x", at(MONDAY, 10), at(MONDAY, 11), at(MONDAY, 10), at(MONDAY, 11, 10))
    (day,) = grid([MONDAY], spans=[span]).days
    (block,) = [e for e in day.entries if e.is_block]
    assert [(p.kind, p.rows) for p in block.parts] == [("session", 4), ("buffer", 1)]
    assert kinds(day)["11:15"] == FREE


def test_a_booking_outside_hours_widens_the_window():
    span = Span("late", at(MONDAY, 19), at(MONDAY, 20), at(MONDAY, 19), at(MONDAY, 20, 15))
    result = grid([MONDAY], spans=[span])
    assert (result.first_hour, result.last_hour) == (9, 21)
    assert kinds(result.days[0])["18:00"] == OUTSIDE


def test_time_off_and_closed_days_are_shaded_and_named():
    closed = DateRule(MONDAY + timedelta(days=1), closed=True)
    away = [(at(MONDAY, 14), at(MONDAY, 15, 30), "")]
    monday, tuesday = grid([MONDAY, MONDAY + timedelta(days=1)], rules=[closed], away=away).days
    assert [kinds(monday)[t] for t in ("13:45", "14:00", "15:15", "15:30")] == [
        FREE,
        AWAY,
        AWAY,
        FREE,
    ]
    assert tuesday.closed and tuesday.ranges == []
    assert set(kinds(tuesday).values()) == {CLOSED}


def test_a_second_booking_over_the_same_time_is_listed_not_lost():
    first = Span("a", at(MONDAY, 10), at(MONDAY, 11), at(MONDAY, 10), at(MONDAY, 11))
    second = Span(
        "b", at(MONDAY, 10, 30), at(MONDAY, 11, 30), at(MONDAY, 10, 30), at(MONDAY, 11, 30)
    )
    (day,) = grid([MONDAY], spans=[first, second]).days
    assert [e.item for e in day.entries if e.is_block] == ["a"]
    assert [s.item for s in day.overlapping] == ["b"]


def test_a_second_booking_over_the_same_time_leaves_no_free_cell_where_it_runs():
    first = Span("a", at(MONDAY, 10), at(MONDAY, 11), at(MONDAY, 10), at(MONDAY, 11))
    second = Span("b", at(MONDAY, 10, 30), at(MONDAY, 12), at(MONDAY, 10, 30), at(MONDAY, 12))
    (day,) = grid([MONDAY], spans=[first, second]).days
    shown = kinds(day)
    assert [shown[t] for t in ("11:00", "11:15", "11:30", "11:45")] == [BOOKED] * 4
    assert shown["12:00"] == FREE
    assert not any(e.bookable for e in day.entries if e.row.label in ("11:00", "11:45"))


def test_a_booking_starting_where_another_blocks_until_within_a_quarter_is_drawn_not_flagged():
    # 09:00 for 60 minutes with a 10-minute buffer blocks until 10:10; the next starts 10:10.
    a = Span("a", at(MONDAY, 9), at(MONDAY, 10), at(MONDAY, 9), at(MONDAY, 10, 10))
    b = Span("b", at(MONDAY, 10, 10), at(MONDAY, 11, 10), at(MONDAY, 10, 10), at(MONDAY, 11, 20))
    (day,) = grid([MONDAY], spans=[a, b]).days
    assert day.overlapping == [] and day.crowded == []
    blocks = [e for e in day.entries if e.is_block]
    assert [(e.item, e.row.label, e.rows) for e in blocks] == [("a", "09:00", 5), ("b", "10:15", 5)]
    assert [(p.kind, p.rows) for p in blocks[1].parts] == [("session", 4), ("buffer", 1)]
    # No quarter hour that either blocks is offered as free.
    shown = kinds(day)
    assert not {"10:00", "10:15", "11:00", "11:15"} & set(shown)
    assert shown["11:30"] == FREE


def test_five_minute_starts_and_travel_share_rows_without_a_false_overlap():
    # A home visit with 20 minutes' travel each way after a 09:05-10:05 booking.
    a = Span("a", at(MONDAY, 9, 5), at(MONDAY, 10, 5), at(MONDAY, 9, 5), at(MONDAY, 10, 5))
    b = Span("b", at(MONDAY, 10, 25), at(MONDAY, 11, 25), at(MONDAY, 10, 5), at(MONDAY, 11, 45))
    (day,) = grid([MONDAY], spans=[a, b]).days
    assert day.overlapping == []
    blocks = [e for e in day.entries if e.is_block]
    assert [(e.item, e.row.label) for e in blocks] == [("a", "09:00"), ("b", "10:15")]
    # Its travel before falls in the row the first block ends in: the session starts the
    # block; the travel back shows as its last row.
    assert [(p.kind, p.rows) for p in blocks[1].parts] == [("session", 5), ("buffer", 1)]
    shown = kinds(day)
    assert shown["11:45"] == FREE and "11:30" not in shown


def test_a_tail_before_midnight_in_a_quarter_already_drawn_is_listed_then_drawn_next_day():
    sunday = MONDAY - timedelta(days=1)
    a = Span("a", at(sunday, 23), at(sunday, 23, 40), at(sunday, 23), at(sunday, 23, 50))
    b = Span("b", at(sunday, 23, 50), at(MONDAY, 0, 50), at(sunday, 23, 50), at(MONDAY, 0, 50))
    before, after = grid([sunday, MONDAY], spans=[a, b], full_day=True).days
    assert [e.item for e in before.entries if e.is_block] == ["a"]
    assert [s.item for s in before.crowded] == ["b"] and before.overlapping == []
    (continued,) = [e for e in after.entries if e.is_block]
    assert (continued.item, continued.row.label, continued.continued) == ("b", "00:00", True)


def test_no_hours_and_no_bookings_show_the_default_window():
    result = grid([MONDAY], weekly=[])
    assert (result.first_hour, result.last_hour) == (8, 18)
    assert set(kinds(result.days[0]).values()) == {OUTSIDE}
