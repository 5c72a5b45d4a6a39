"""manage.py publish_opendata: build and publish the open-data files now."""

from __future__ import annotations

from collections import defaultdict

from django.core.management.base import BaseCommand

from inventory.opendata.services import exports_generate


class Command(BaseCommand):
    help = (
        "Build every open-data file (CSV, JSON, NDJSON, gzip copies, Table Schemas, SILL exports, "
        "manifest) into a new release and publish it at once under OPENDATA_DIR/current: what "
        "the crawl runs and the daily task do, on demand."
    )

    def handle(self, *args, **options) -> None:
        result = exports_generate()
        manifest = result.manifest
        rows: dict[str, int] = defaultdict(int)
        for file in manifest["files"]:
            if file["format"] in ("csv",) and not file["compressed"]:
                rows[file["dataset"]] = file["rows"]
        self.stdout.write(
            f"Published {len(manifest['files'])} files in {result.folder} "
            f"({manifest['duration_seconds']}s), served at /data/:"
        )
        for dataset in manifest["datasets"]:
            self.stdout.write(f"  {dataset['name']}: {rows.get(dataset['name'], 0)} rows")
