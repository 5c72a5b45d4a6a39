"""The one CSV writer of Logithèque: every CSV it writes (open-data files, code.gouv.fr's, the
curators' declarations export, the accounts registry) goes through ``csv_writer``.

RFC 4180 (quotes where needed, "\\n" line ends), and spreadsheet formulas neutralised as OWASP
recommends: a text cell starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return gets a
leading ``'``, so a spreadsheet shows it as text instead of running it (``=HYPERLINK(…)`` in a
repository's description, ``@SUM(…)`` in an agent's use case). Numbers are written as they are.
JSON and NDJSON carry values unchanged: no program reads them as formulas. This module imports
nothing of Logithèque, so every layer may use it.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import Any, Protocol

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
ESCAPE = "'"


class _Writable(Protocol):
    def write(self, text: str, /) -> Any: ...


def csv_cell(value: Any) -> Any:
    """A cell as the CSV holds it: text that a spreadsheet would read as a formula is escaped."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return ESCAPE + value
    return value


def csv_cell_read(text: str) -> str:
    """The value ``csv_cell`` escaped, back: for files we read that we may have written."""
    if text.startswith(ESCAPE) and text[1:2] and text[1:].startswith(FORMULA_PREFIXES):
        return text[1:]
    return text


class _LineFeedEnded:
    """Passes the csv module's rows on with "\n" ends. The module is told "\r\n" so that it
    quotes a cell holding a lone carriage return, as RFC 4180 and PostgreSQL's COPY do (before
    Python 3.12 it does not when "\r" is not in its line terminator); it writes each row, its
    terminator included, in one call."""

    def __init__(self, stream: _Writable) -> None:
        self._stream = stream

    def write(self, row: str) -> Any:
        return self._stream.write(row[:-2] + "\n")


class CsvWriter:
    """``csv.writer`` that escapes formulas (``csv_cell``) in every row it writes."""

    def __init__(self, stream: _Writable) -> None:
        self._writer = csv.writer(_LineFeedEnded(stream), lineterminator="\r\n")

    def writerow(self, row: Iterable[Any]) -> None:
        self._writer.writerow([csv_cell(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(stream: _Writable) -> CsvWriter:
    """The writer to use for any CSV (a file, an ``io.StringIO``, an ``HttpResponse``)."""
    return CsvWriter(stream)
