"""Streamed writers: one pass over a dataset's rows writes its CSV, JSON and NDJSON files, each
also gzip-compressed, while counting bytes and hashing, with bounded memory."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from inventory.core.csv_writer import csv_writer

TABULAR_FORMATS = ("csv", "json", "ndjson")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "ndjson": "application/x-ndjson",
    "gz": "application/gzip",
    "atom": "application/atom+xml; charset=utf-8",
}
# Rows are encoded and written in batches: few system calls, memory bounded by the batch.
BATCH_ROWS = 2000
LIST_SEPARATOR = ";"


@dataclass(frozen=True)
class Column:
    """A column and its Table Schema type: string, integer, number, boolean, datetime, date,
    array (a list: an array in JSON, items joined with ";" in CSV) or object (JSON only)."""

    name: str
    type: str
    description: str


@dataclass(frozen=True)
class Dataset:
    name: str
    title: str
    description: str
    columns: tuple[Column, ...]
    rows: Callable[[], Iterator[tuple]]
    formats: tuple[str, ...] = TABULAR_FORMATS
    gzip: bool = True
    primary_key: str | None = None
    # True when the rows carry date-times already formatted (ISO text) by the database.
    text_dates: bool = False
    # When it gives a stream (PostgreSQL), the CSV rows come from the database's COPY: they
    # must be byte for byte what this module writes from rows() (a test checks it).
    csv_copy: Callable[[], Any] | None = None

    def table_schema(self) -> dict[str, Any]:
        """A frictionless Table Schema of the columns."""
        fields = []
        for column in self.columns:
            described = {
                "name": column.name,
                "type": column.type,
                "description": column.description,
            }
            if column.type == "datetime":
                described["format"] = "any"
            if column.type == "array":
                described["description"] += f' (CSV: items joined with "{LIST_SEPARATOR}")'
            fields.append(described)
        schema: dict[str, Any] = {
            "$schema": "https://specs.frictionlessdata.io/schemas/table-schema.json",
            "fields": fields,
            "missingValues": [""],
        }
        if self.primary_key:
            schema["primaryKey"] = self.primary_key
        return schema


@dataclass
class WrittenFile:
    name: str
    path: Path
    format: str
    rows: int = 0
    bytes: int = 0
    sha256: str = ""
    compressed: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


class Sink:
    """A file being written: counts and hashes the bytes as they land on disk."""

    def __init__(self, path: Path, fmt: str, *, compressed: bool = False) -> None:
        self.info = WrittenFile(name=path.name, path=path, format=fmt, compressed=compressed)
        self._raw = path.open("wb")
        self._hash = hashlib.sha256()
        self._counted = _Counting(self._raw, self._hash, self.info)
        # mtime=0: the same data gives the same .gz, so its checksum is reproducible.
        self._out = (
            gzip.GzipFile(fileobj=self._counted, mode="wb", mtime=0, compresslevel=6)
            if compressed
            else self._counted
        )

    def write(self, data: bytes) -> None:
        self._out.write(data)

    def close(self, rows: int) -> WrittenFile:
        if self.info.compressed:
            self._out.close()
        self._raw.close()
        self.info.rows = rows
        self.info.sha256 = self._hash.hexdigest()
        return self.info


class _Counting:
    def __init__(self, raw, digest, info: WrittenFile) -> None:
        self._raw, self._digest, self._info = raw, digest, info

    def write(self, data: bytes) -> int:
        self._raw.write(data)
        self._digest.update(data)
        self._info.bytes += len(data)
        return len(data)

    def flush(self) -> None:
        self._raw.flush()


def iso_datetime(value: datetime) -> str:
    """ISO 8601 in UTC with a Z, to the second (data.gouv.fr's convention)."""
    if value.tzinfo is not None:
        value = value.astimezone(UTC)
    return value.replace(tzinfo=None, microsecond=0).isoformat() + "Z"


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime):
        return iso_datetime(value)
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"Cannot write {type(value).__name__} as JSON")


def _csv_boolean(value: Any) -> str:
    if value is None:
        return ""
    return "true" if value else "false"


def _csv_list(value: Any) -> str:
    return LIST_SEPARATOR.join(str(item) for item in value) if value else ""


def _csv_datetime(value: Any) -> Any:
    # Datasets usually have the database format dates (ISO text); objects are formatted here.
    if isinstance(value, datetime):
        return iso_datetime(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def _csv_object(value: Any) -> str:
    return "" if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


# Only these column types need converting for CSV: the csv module writes None as an empty
# cell and numbers and strings as they are.
CSV_CONVERTERS = {
    "boolean": _csv_boolean,
    "array": _csv_list,
    "datetime": _csv_datetime,
    "date": _csv_datetime,
    "object": _csv_object,
}


class _Encoder:
    """Turns batches of rows into bytes for one format."""

    def __init__(self, fmt: str, dataset: Dataset) -> None:
        self.fmt = fmt
        self.names = [column.name for column in dataset.columns]
        self.count = 0
        skip = {"datetime", "date"} if dataset.text_dates else set()
        self.converters = [
            (index, CSV_CONVERTERS[column.type])
            for index, column in enumerate(dataset.columns)
            if column.type in CSV_CONVERTERS and column.type not in skip
        ]

    def header(self) -> bytes:
        if self.fmt == "csv":
            buffer = io.StringIO()
            csv_writer(buffer).writerow(self.names)
            return buffer.getvalue().encode("utf-8")
        return b"[" if self.fmt == "json" else b""

    def batch(self, rows: list[tuple]) -> bytes:
        if self.fmt == "csv":
            buffer = io.StringIO()
            csv_writer(buffer).writerows(map(self._csv_row, rows))
            self.count += len(rows)
            return buffer.getvalue().encode("utf-8")
        lines = []
        for row in rows:
            record = dict(zip(self.names, row, strict=True))
            text = json.dumps(record, ensure_ascii=False, default=_json_default)
            if self.fmt == "json":
                text = ("\n" if self.count == 0 else ",\n") + text
            else:
                text += "\n"
            lines.append(text)
            self.count += 1
        return "".join(lines).encode("utf-8")

    def _csv_row(self, row: tuple) -> list:
        cells = list(row)
        for index, convert in self.converters:
            cells[index] = convert(cells[index])
        return cells

    def footer(self) -> bytes:
        if self.fmt == "json":
            return b"\n]\n" if self.count else b"]\n"
        return b""


def _batches(rows: Iterable[tuple], size: int) -> Iterator[list[tuple]]:
    batch: list[tuple] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _sinks(dataset: Dataset, folder: Path, fmt: str) -> list[Sink]:
    path = folder / f"{dataset.name}.{fmt}"
    targets = [Sink(path, fmt)]
    if dataset.gzip:
        targets.append(Sink(path.with_name(path.name + ".gz"), fmt, compressed=True))
    return targets


def _csv_copy_write(dataset: Dataset, folder: Path, stream) -> list[WrittenFile]:
    targets = _sinks(dataset, folder, "csv")
    header = _Encoder("csv", dataset).header()
    for target in targets:
        target.write(header)
    for chunk in stream:
        data = bytes(chunk)
        for target in targets:
            target.write(data)
    return [target.close(stream.rows) for target in targets]


def dataset_write(
    dataset: Dataset,
    folder: Path,
    *,
    formats: tuple[str, ...] | None = None,
    use_copy: bool = True,
) -> list[WrittenFile]:
    """Write every format of the dataset in one pass over its rows (the CSV by the database's
    COPY when the dataset offers it); gzip copies hold the same bytes."""
    formats = formats or dataset.formats
    written: list[WrittenFile] = []
    stream = dataset.csv_copy() if use_copy and dataset.csv_copy and "csv" in formats else None
    if stream is not None:
        written += _csv_copy_write(dataset, folder, stream)
        formats = tuple(fmt for fmt in formats if fmt != "csv")
        if not formats:
            return written
    encoders = [_Encoder(fmt, dataset) for fmt in formats]
    sinks: list[tuple[_Encoder, list[Sink]]] = []
    for encoder in encoders:
        sinks.append((encoder, _sinks(dataset, folder, encoder.fmt)))
    for encoder, targets in sinks:
        data = encoder.header()
        for target in targets:
            target.write(data)
    rows = 0
    for batch in _batches(dataset.rows(), BATCH_ROWS):
        rows += len(batch)
        for encoder, targets in sinks:
            data = encoder.batch(batch)
            for target in targets:
                target.write(data)
    for encoder, targets in sinks:
        data = encoder.footer()
        for target in targets:
            target.write(data)
            written.append(target.close(rows))
    return written


def dataset_stream(dataset: Dataset, fmt: str) -> Iterator[bytes]:
    """One format of the dataset as a stream of bytes (a download served over HTTP), encoded
    as the files are, a batch of rows at a time: memory stays bounded whatever the size."""
    encoder = _Encoder(fmt, dataset)
    yield encoder.header()
    for batch in _batches(dataset.rows(), BATCH_ROWS):
        yield encoder.batch(batch)
    yield encoder.footer()


def json_document_write(name: str, document: Any, folder: Path) -> WrittenFile:
    """A whole JSON document (the SILL exports, a few hundred entries)."""
    sink = Sink(folder / name, "json")
    sink.write(json.dumps(document, ensure_ascii=False, indent=1, default=_json_default).encode())
    sink.write(b"\n")
    return sink.close(len(document) if isinstance(document, list) else 1)
