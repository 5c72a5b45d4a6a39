"""Generation of the open-data files: written to a new release folder, then published at once
by switching the ``current`` link, so readers never see a half-written file."""

from __future__ import annotations

import json
import os
import shutil
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.conf import settings

from inventory.opendata.formats.datasets import DATASETS
from inventory.opendata.formats.writers import (
    Dataset,
    WrittenFile,
    dataset_write,
    iso_datetime,
    json_document_write,
)

MANIFEST = "manifest.json"
CURRENT = "current"
RELEASES = "releases"
# Earlier releases are kept a little, for readers still streaming a file from them.
KEEP_RELEASES = 2


@dataclass(frozen=True)
class ExportResult:
    folder: Path
    manifest: dict[str, Any]


def opendata_dir() -> Path:
    return Path(settings.OPENDATA_DIR)


def current_dir() -> Path | None:
    """The published release folder, or None before the first generation."""
    link = opendata_dir() / CURRENT
    return link.resolve() if link.exists() else None


def manifest_read() -> dict[str, Any] | None:
    folder = current_dir()
    if folder is None:
        return None
    return json.loads((folder / MANIFEST).read_text(encoding="utf-8"))


def _entry(file: WrittenFile, *, dataset: str, schema: str | None, generated_at: str) -> dict:
    return {
        "name": file.name,
        "dataset": dataset,
        "format": file.format,
        "compressed": file.compressed,
        "rows": file.rows,
        "bytes": file.bytes,
        "sha256": file.sha256,
        "schema": schema,
        "generated_at": generated_at,
    }


def _schema_write(dataset: Dataset, folder: Path) -> WrittenFile:
    schema = {"name": dataset.name, "title": dataset.title, "description": dataset.description}
    return json_document_write(
        f"{dataset.name}.schema.json", {**schema, **dataset.table_schema()}, folder
    )


def _sill_files(folder: Path, generated_at: str) -> list[dict]:
    from inventory.catalog.sill_formats import sill_export_2022, sill_export_current

    entries = []
    for name, export in (("sill.json", sill_export_current), ("sill-2022.json", sill_export_2022)):
        file = json_document_write(name, export(), folder)
        entries.append(
            _entry(file, dataset=name.removesuffix(".json"), schema=None, generated_at=generated_at)
        )
    return entries


def _publish(release: Path) -> None:
    base = opendata_dir()
    link = base / CURRENT
    temporary = base / f".{CURRENT}-{uuid.uuid4().hex}"
    temporary.symlink_to(release.relative_to(base), target_is_directory=True)
    os.replace(temporary, link)  # atomic: readers see the old release or the new one


def _prune(keep: Path) -> None:
    releases = sorted((opendata_dir() / RELEASES).iterdir(), key=lambda path: path.name)
    stale = [path for path in releases if path != keep][: max(0, len(releases) - KEEP_RELEASES)]
    for path in stale:
        shutil.rmtree(path, ignore_errors=True)


def exports_generate(*, datasets: tuple[Dataset, ...] = DATASETS) -> ExportResult:
    """Write every dataset (CSV, JSON, NDJSON, gzip copies), their Table Schemas, the SILL
    exports and a manifest into a new release, then publish it."""
    started = datetime.now(UTC)
    generated_at = iso_datetime(started)
    releases = opendata_dir() / RELEASES
    releases.mkdir(parents=True, exist_ok=True)
    release = releases / f"{started:%Y%m%dT%H%M%S%f}-{uuid.uuid4().hex[:8]}"
    release.mkdir()
    files: list[dict] = []
    try:
        for dataset in datasets:
            schema = _schema_write(dataset, release)
            files.append(
                _entry(schema, dataset=dataset.name, schema=None, generated_at=generated_at)
            )
            for file in dataset_write(dataset, release):
                files.append(
                    _entry(
                        file, dataset=dataset.name, schema=schema.name, generated_at=generated_at
                    )
                )
        files.extend(_sill_files(release, generated_at))
        manifest = {
            "generated_at": generated_at,
            "duration_seconds": round((datetime.now(UTC) - started).total_seconds(), 3),
            "datasets": [
                {"name": dataset.name, "title": dataset.title, "description": dataset.description}
                for dataset in datasets
            ],
            "files": files,
        }
        (release / MANIFEST).write_text(
            json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
    except BaseException:
        shutil.rmtree(release, ignore_errors=True)
        raise
    _publish(release)
    _prune(release)
    return ExportResult(folder=release, manifest=manifest)
