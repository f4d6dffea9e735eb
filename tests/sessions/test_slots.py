"""sessions.slots: pure slot finding, including clock changes."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sessions.slots import Busy, DateRule, WeeklyRange, free_slots, on_grid

EVERY_DAY_9_TO_17 = [WeeklyRange(d, time(9), time(17)) for d in range(7)]
HOUR = timedelta(hours=1)
FAR_PAST = datetime(2026, 1, 1, tzinfo=UTC)


def find(day: date, tz: str, weekly=EVERY_DAY_9_TO_17, last_day=None, **kwargs):
    options = {
        "length": timedelta(minutes=60),
        "buffer": timedelta(minutes=15),
        "interval": timedelta(minutes=15),
        "now": FAR_PAST,
        "notice": timedelta(0),
        "horizon": timedelta(days=3650),
    } | kwargs
    return free_slots(
        weekly=weekly, tz=ZoneInfo(tz), first_day=day, last_day=last_day or day, **options
    )


def local_times(slots, tz):
    return [slot.astimezone(ZoneInfo(tz)).strftime("%H:%M") for slot in slots]


DST_CHANGES_2026 = [
    ("Europe/London", date(2026, 3, 29)),
    ("Europe/London", date(2026, 10, 25)),
    ("America/New_York", date(2026, 3, 8)),
    ("America/New_York", date(2026, 11, 1)),
    ("Australia/Sydney", date(2026, 4, 5)),
    ("Australia/Sydney", date(2026, 10, 4)),
]


@pytest.mark.parametrize("tz,change", DST_CHANGES_2026)
@pytest.mark.parametrize("offset", [-1, 0, 1])
@pytest.mark.parametrize("hours", [(time(9), time(17)), (time(13), time(18))])
def test_local_working_hours_stay_put_across_clock_changes(tz, change, offset, hours):
    day = change + timedelta(days=offset)
    weekly = [WeeklyRange(d, *hours) for d in range(7)]
    slots = find(day, tz, weekly=weekly)
    first, last_start = hours[0], (datetime.combine(day, hours[1]) - HOUR).time()
    expected = []
    wall = datetime.combine(day, first)
    while wall.time() <= last_start:
        expected.append(wall.strftime("%H:%M"))
        wall += timedelta(minutes=15)
    assert local_times(slots, tz) == expected
    assert all(slot.tzinfo == UTC for slot in slots)
    assert all(slot.astimezone(ZoneInfo(tz)).date() == day for slot in slots)


def test_a_local_time_skipped_by_spring_forward_is_never_offered():
    night = [WeeklyRange(6, time(0), time(4))]  # Sunday 29 March 2026, London
    slots = find(date(2026, 3, 29), "Europe/London", weekly=night, length=timedelta(minutes=30))
    shown = local_times(slots, "Europe/London")
    assert "01:30" not in shown and "01:00" not in shown and "01:45" not in shown
    assert shown[:2] == ["00:00", "00:15"]
    assert "02:00" in shown
    # Every slot is a distinct instant and really 30 minutes long in absolute time.
    assert len(set(slots)) == len(slots)


def test_a_local_time_repeated_by_fall_back_is_offered_once():
    night = [WeeklyRange(6, time(0), time(4))]  # Sunday 25 October 2026, London
    slots = find(date(2026, 10, 25), "Europe/London", weekly=night, length=timedelta(minutes=30))
    shown = local_times(slots, "Europe/London")
    assert shown.count("01:30") == 1
    first_0130 = next(s for s in slots if s.astimezone(ZoneInfo("Europe/London")).hour == 1)
    assert first_0130.astimezone(ZoneInfo("Europe/London")).utcoffset() == HOUR  # BST, the first
    assert len(set(shown)) == len(shown)


def test_a_booking_blocks_its_time_and_its_buffer():
    day = date(2026, 6, 1)  # Monday; London is UTC+1
    booking = Busy(
        datetime(2026, 6, 1, 10, 0, tzinfo=UTC), datetime(2026, 6, 1, 11, 15, tzinfo=UTC)
    )
    shown = local_times(find(day, "Europe/London", busy=[booking]), "Europe/London")
    # The booked 11:00-12:00 (+15 min buffer) blocks starts from 09:45 (09:45+60+15 = 11:00)...
    assert "09:45" in shown and "10:00" not in shown
    # ...until 12:15, when the buffer ends.
    assert "12:00" not in shown and "12:15" in shown


def test_time_off_and_closed_dates_remove_slots_and_extra_hours_add_them():
    day = date(2026, 6, 1)
    # London is UTC+1 in June: time off 08:00-16:00 UTC is the whole 09:00-17:00 working day.
    off = Busy(datetime(2026, 6, 1, 8, 0, tzinfo=UTC), datetime(2026, 6, 1, 16, 0, tzinfo=UTC))
    assert find(day, "Europe/London", busy=[off]) == []
    morning_off = Busy(off.starts_at, datetime(2026, 6, 1, 12, 0, tzinfo=UTC))
    assert (
        local_times(find(day, "Europe/London", busy=[morning_off]), "Europe/London")[0] == "13:00"
    )
    assert find(day, "UTC", rules=[DateRule(day, closed=True)]) == []
    extra = DateRule(day, starts=time(18), ends=time(20))
    shown = local_times(find(day, "UTC", rules=[extra]), "UTC")
    assert "18:00" in shown and "19:00" in shown and "19:15" not in shown


def test_notice_and_horizon_bound_the_offer():
    now = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
    slots = find(
        date(2026, 6, 1),
        "UTC",
        last_day=date(2026, 6, 10),
        now=now,
        notice=timedelta(hours=3),
        horizon=timedelta(days=7),
    )
    assert slots[0] == datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
    assert slots[-1] <= now + timedelta(days=7)
    assert slots[-1].date() == date(2026, 6, 8)


def test_the_session_must_end_inside_working_hours_but_the_buffer_may_not_need_to():
    shown = local_times(find(date(2026, 6, 1), "UTC", length=timedelta(minutes=45)), "UTC")
    assert shown[-1] == "16:15"


def test_ranges_off_the_grid_start_at_the_next_quarter_hour():
    weekly = [WeeklyRange(0, time(9, 10), time(11))]
    shown = local_times(find(date(2026, 6, 1), "UTC", weekly=weekly), "UTC")
    assert shown == ["09:15", "09:30", "09:45", "10:00"]


# Property tests: whatever the hours, bookings and time off, the offer is safe.
zones = st.sampled_from(
    ["Europe/London", "America/New_York", "Australia/Sydney", "Asia/Kolkata", "UTC"]
)
quarter_hours = st.integers(min_value=0, max_value=95).map(lambda q: time(q // 4, (q % 4) * 15))
lengths = st.sampled_from([30, 45, 60]).map(lambda m: timedelta(minutes=m))
buffers = st.integers(min_value=0, max_value=30).map(lambda m: timedelta(minutes=m))
instants = st.datetimes(min_value=datetime(2026, 3, 1), max_value=datetime(2026, 11, 30)).map(
    lambda d: d.replace(second=0, microsecond=0, tzinfo=UTC)
)


@st.composite
def busy_intervals(draw):
    start = draw(instants)
    return Busy(start, start + timedelta(minutes=draw(st.integers(min_value=15, max_value=600))))


@st.composite
def weekly_ranges(draw):
    a, b = draw(quarter_hours), draw(quarter_hours)
    if a == b:
        b = time(23, 45) if a != time(23, 45) else time(23, 0)
        a, b = min(a, b), max(a, b)
    return WeeklyRange(draw(st.integers(min_value=0, max_value=6)), min(a, b), max(a, b))


@settings(max_examples=150, deadline=None)
@given(
    tz_name=zones,
    weekly=st.lists(weekly_ranges(), min_size=1, max_size=6),
    busy=st.lists(busy_intervals(), max_size=8),
    length=lengths,
    buffer=buffers,
    now=instants,
    notice_hours=st.integers(min_value=0, max_value=48),
    interval_minutes=st.sampled_from([15, 30, 60]),
    horizon_days=st.integers(min_value=1, max_value=30),
)
def test_no_slot_overlaps_busy_time_leaves_hours_or_breaks_notice_and_horizon(
    tz_name, weekly, busy, length, buffer, now, notice_hours, horizon_days, interval_minutes
):
    tz = ZoneInfo(tz_name)
    first_day = now.astimezone(tz).date()
    notice, horizon = timedelta(hours=notice_hours), timedelta(days=horizon_days)
    slots = free_slots(
        weekly=weekly,
        busy=busy,
        length=length,
        buffer=buffer,
        interval=timedelta(minutes=interval_minutes),
        tz=tz,
        now=now,
        notice=notice,
        horizon=horizon,
        first_day=first_day,
        last_day=first_day + timedelta(days=8),
    )
    assert slots == sorted(set(slots))
    for slot in slots:
        end = slot + length
        assert now + notice <= slot <= now + horizon
        for interval in busy:
            assert end + buffer <= interval.starts_at or slot >= interval.ends_at
        local_start, local_end = slot.astimezone(tz), end.astimezone(tz)
        assert (local_start.hour * 60 + local_start.minute) % interval_minutes == 0
        assert any(
            r.weekday == local_start.weekday()
            and r.starts <= local_start.time()
            and (local_end.time() <= r.ends and local_end.date() == local_start.date())
            for r in weekly
        ), f"{local_start}–{local_end} outside hours"


@pytest.mark.parametrize(
    ("minutes", "expected"),
    [
        (15, ["09:15", "09:30", "09:45", "10:00", "10:15"]),
        (30, ["09:30", "10:00"]),
        (60, ["10:00"]),
    ],
)
def test_starts_follow_the_practitioners_interval(minutes, expected):
    weekly = [WeeklyRange(day, time(9, 10), time(11, 15)) for day in range(7)]
    slots = find(
        date(2026, 6, 3), "Europe/London", weekly=weekly, interval=timedelta(minutes=minutes)
    )
    assert local_times(slots, "Europe/London") == expected


@pytest.mark.parametrize(
    ("wall", "minutes", "expected"),
    [
        (time(10, 15), 15, True),
        (time(10, 15), 30, False),
        (time(10, 30), 30, True),
        (time(10, 30), 60, False),
        (time(11, 0), 60, True),
        (time(11, 0, 30), 15, False),
    ],
)
def test_on_grid_follows_the_interval(wall, minutes, expected):
    assert on_grid(datetime.combine(date(2026, 6, 3), wall), timedelta(minutes=minutes)) is expected
