"""The /data/ page lists every download; files are served with their type and as attachments."""

import gzip
import zoneinfo
from datetime import datetime

import pytest
from django.test import Client

from inventory.opendata.services import exports_generate
from tests.conftest import english

pytestmark = pytest.mark.django_db

MONTHS = (
    "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
    "octobre", "novembre", "décembre",
)  # fmt: skip


def test_data_page_before_the_first_generation_says_so():
    response = english(Client()).get("/data/")
    assert response.status_code == 200
    assert "not been generated yet" in response.content.decode()


def test_data_page_lists_every_file_with_rows_and_size(world):
    manifest = exports_generate().manifest
    html = english(Client()).get("/data/").content.decode()
    for entry in manifest["files"]:
        assert f'href="/data/{entry["name"]}"' in html, entry["name"]
    assert "Table Schema" in html
    assert 'id="generated-at"' in html


def test_data_page_speaks_french_with_french_dataset_names_and_dates(world, settings):
    manifest = exports_generate().manifest
    html = Client().get("/data/").content.decode()
    assert ">Dépôts (format code.gouv.fr)</h2>" in html
    assert ">Comptes sur les forges</h2>" in html
    assert "Le catalogue des logiciels libres recommandés (SILL)" in html
    assert ">Repositories (code.gouv.fr format)<" not in html
    generated = datetime.fromisoformat(manifest["generated_at"]).astimezone(
        zoneinfo.ZoneInfo(settings.TIME_ZONE)
    )
    month = MONTHS[generated.month - 1]
    assert f"Générés le {generated.day} {month} {generated.year}, " in html
    assert manifest["generated_at"] not in html
    # The manifest, open data itself, keeps its English titles.
    assert manifest["datasets"][0]["title"] == "Repositories"


@pytest.mark.parametrize(
    ("name", "content_type"),
    [
        ("repositories.csv", "text/csv; charset=utf-8"),
        ("repositories.json", "application/json"),
        ("repositories.ndjson", "application/x-ndjson"),
        ("repositories.csv.gz", "application/gzip"),
        ("manifest.json", "application/json"),
        ("software.schema.json", "application/json"),
        ("sill.json", "application/json"),
    ],
)
def test_files_are_served_with_their_content_type_as_attachments(world, name, content_type):
    exports_generate()
    response = Client().get(f"/data/{name}", HTTP_ORIGIN="https://reuser.example")
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == f'attachment; filename="{name}"'
    assert response["Access-Control-Allow-Origin"] == "*"


def test_gzip_files_are_served_compressed_not_decoded(world):
    exports_generate()
    body = b"".join(Client().get("/data/repositories.csv.gz").streaming_content)
    assert gzip.decompress(body).startswith(b"id,forge,")


@pytest.mark.parametrize("name", ["nothing.csv", "..%2Fsecret", "releases", "current", ".env"])
def test_unknown_or_hostile_file_names_are_404(world, name):
    exports_generate()
    assert Client().get(f"/data/{name}").status_code == 404


def test_files_are_404_before_the_first_generation():
    assert Client().get("/data/repositories.csv").status_code == 404
