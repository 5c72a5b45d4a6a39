"""Import the SILL's published files: detect the format, upsert every valid record, list rejects.

Transaction boundary: one transaction per file. A file that cannot be read as a whole (not JSON,
truncated, not a list of records, a CSV without the 2020 header) raises ``SillFileError`` and
changes nothing. Inside a file each record has its own savepoint: a record that is invalid is
rejected (its location and reason listed in the report) and every valid record is kept.
``dry_run`` runs the same import and rolls the file's transaction back.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from django.db import transaction

from inventory.catalog.importers.base import (
    FORMAT_CONTRIBUTORS,
    ImportReport,
    RecordError,
    Reject,
    SillFileError,
)
from inventory.catalog.importers.contributors import contributors_import
from inventory.catalog.importers.software import (
    software_import_2020,
    software_import_2022,
    software_import_current,
)
from inventory.catalog.sill_formats import FORMAT_2020, FORMAT_2022, FORMAT_CURRENT

__all__ = ["ImportReport", "RecordError", "Reject", "SillFileError", "sill_import_file"]

CSV_2020_HEADER = (
    "formats", "fonction", "nom", "statut", "parent", "wikidata_entity", "secteur", "licence",
    "referent", "composant", "mots-clefs", "cas-usage", "utilisateurs", "groupe", "version",
)  # fmt: skip


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError as error:
        raise SillFileError(f"{path}: no such file.") from error
    except UnicodeDecodeError as error:
        raise SillFileError(f"{path}: not UTF-8 text ({error}).") from error
    except OSError as error:
        raise SillFileError(f"{path}: cannot be read ({error}).") from error


def detect(path: Path, text: str) -> tuple[str, list]:
    """The file's format and its records, or ``SillFileError``."""
    stripped = text.lstrip()
    if not stripped:
        raise SillFileError(f"{path}: the file is empty.")
    if stripped[0] in "[{":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise SillFileError(
                f"{path}: not valid JSON (line {error.lineno}, column {error.colno}: "
                f"{error.msg}); the file may be truncated."
            ) from error
        except RecursionError:
            raise SillFileError(f"{path}: not a SILL file (JSON nested too deeply).") from None
        if not isinstance(data, list):
            raise SillFileError(
                f"{path}: expected a JSON array of records, found {type(data).__name__}."
            )
        first = next((item for item in data if isinstance(item, dict)), None)
        if first is None:
            raise SillFileError(f"{path}: the array holds no record (objects) to import.")
        if "Organisme" in first:
            return FORMAT_CONTRIBUTORS, data
        if "i" in first or "st" in first:
            _refuse_duplicate_ids(path, data)
            return FORMAT_2022, data
        if "name" in first:
            _refuse_duplicate_ids(path, data)
            return FORMAT_CURRENT, data
        raise SillFileError(
            f"{path}: records with keys {sorted(first)[:8]} match no SILL format "
            "(2022 short keys, today's public format, contributors)."
        )
    reader = csv.reader(io.StringIO(text))
    header = tuple(column.strip() for column in next(reader, []))
    if header[: len(CSV_2020_HEADER)] != CSV_2020_HEADER:
        raise SillFileError(
            f"{path}: neither JSON nor the 2020 CSV (expected the header "
            f"{','.join(CSV_2020_HEADER)})."
        )
    _refuse_short_or_long_rows(path, text, width=len(header))
    rows = list(csv.DictReader(io.StringIO(text)))
    return FORMAT_2020, rows


def _refuse_short_or_long_rows(path: Path, text: str, *, width: int) -> None:
    """A row with fewer cells than the header is a cut file (its last row would be imported
    half, "Sel" for "Selenium Server"); more cells, a shifted one. Either refuses the file."""
    reader = csv.reader(io.StringIO(text))
    next(reader, None)
    for row in reader:
        if row and len(row) != width:
            raise SillFileError(
                f"{path}: line {reader.line_num} has {len(row)} of the {width} columns of the "
                "header; the file may be truncated. Nothing was imported."
            )


def _refuse_duplicate_ids(path: Path, records: list) -> None:
    """The same SILL id twice would make the second record overwrite the first, and every
    import of the file change the entry again: the file is refused, naming both entries."""
    seen: dict[str, int] = {}
    for index, record in enumerate(records, start=1):
        key = record.get("id") if isinstance(record, dict) else None
        if key is None or key == "" or isinstance(key, dict | list):
            continue
        key = str(key).strip()
        if key in seen:
            raise SillFileError(
                f"{path}: entry {seen[key]} (id {key}) and entry {index} (id {key}) have the "
                "same SILL id: fix the file; nothing was imported."
            )
        seen[key] = index


def sill_import_file(path: Path | str, *, dry_run: bool = False) -> ImportReport:
    """Import one file in one transaction (see the module's docstring)."""
    path = Path(path)
    fmt, records = detect(path, _read_text(path))
    report = ImportReport(path=str(path), format=fmt, dry_run=dry_run)
    importer = {
        FORMAT_2022: software_import_2022,
        FORMAT_2020: software_import_2020,
        FORMAT_CURRENT: software_import_current,
        FORMAT_CONTRIBUTORS: contributors_import,
    }[fmt]
    with transaction.atomic():
        importer(records, report=report, source=path.name)
        if dry_run:
            transaction.set_rollback(True)
    return report
