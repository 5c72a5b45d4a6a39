"""manage.py publish_opendata builds and publishes the files at once."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from inventory.opendata.services import current_dir, manifest_read

pytestmark = pytest.mark.django_db


def test_publish_opendata_publishes_every_dataset_and_reports_rows(world):
    assert current_dir() is None
    out = StringIO()

    call_command("publish_opendata", stdout=out)

    manifest = manifest_read()
    assert manifest is not None
    text = out.getvalue()
    assert f"Published {len(manifest['files'])} files in {current_dir()}" in text
    software_rows = next(
        file["rows"] for file in manifest["files"] if file["name"] == "software.csv"
    )
    assert f"  software: {software_rows} rows" in text
    assert Client().get("/data/software.csv").status_code == 200


def test_publishing_again_replaces_the_release(world):
    call_command("publish_opendata", stdout=StringIO())
    first = current_dir()
    call_command("publish_opendata", stdout=StringIO())
    assert current_dir() != first
    assert manifest_read()["files"]
