"""The iCalendar files the calendar-import tests serve and read (tests/practitioners/
fixtures/), in the shapes Google, Apple and Outlook publish, and small builders for others."""

from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"


def calendar_file(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def one_event(start: str, end: str, *extra: str) -> bytes:
    """A calendar holding one event from `start` to `end` (iCalendar values, e.g.
    "20260608T170000Z" or ";VALUE=DATE:20260608"), with `extra` property lines."""
    start_line = f"DTSTART{start}" if start.startswith(";") else f"DTSTART:{start}"
    end_line = f"DTEND{end}" if end.startswith(";") else f"DTEND:{end}"
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//reflexbook tests//EN",
        "BEGIN:VEVENT",
        "UID:one-event@tests",
        "DTSTAMP:20260501T000000Z",
        start_line,
        end_line,
        *extra,
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return ("\r\n".join(lines) + "\r\n").encode()
