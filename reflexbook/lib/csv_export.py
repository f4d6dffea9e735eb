"""CSV downloads, written as they are read (StreamingHttpResponse), with every cell made
safe for spreadsheets. Pure: no Django.

A cell that starts with = + - @ (or a tab or carriage return) is read by Excel, LibreOffice
and Google Sheets as a formula; names and labels people typed reach these files, so such a
cell is prefixed with an apostrophe (OWASP's advice for CSV injection)."""

import csv
from collections.abc import Iterable, Iterator
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> str:
    """`value` as text that no spreadsheet runs as a formula (None is empty)."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


class _Line:
    """A file-like object whose write() hands back the line csv.writer built."""

    def write(self, line: str) -> str:
        return line


def csv_lines(header: Iterable[str], rows: Iterable[Iterable[Any]]) -> Iterator[str]:
    """The CSV text of `header` then `rows`, one line at a time, every cell safe_cell'd."""
    writer = csv.writer(_Line())
    yield writer.writerow([safe_cell(cell) for cell in header])
    for row in rows:
        yield writer.writerow([safe_cell(cell) for cell in row])
