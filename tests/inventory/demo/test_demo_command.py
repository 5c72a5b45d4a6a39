"""manage.py demo on a small slice of the real data: a summary instead of a table of every
account, the table on request, and a second run that changes nothing in the catalog."""

from __future__ import annotations

import csv
import json
import shutil
import socket
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from inventory.catalog.models import Software
from inventory.opendata.services import manifest_read

pytestmark = pytest.mark.django_db

SHARED = Path(__file__).resolve().parents[4] / "shared" / "data"
# Onyxia's and Keycloakify's source repositories are in the slice, 7-Zip's is not.
SILL_IDS = {"1", "227", "233"}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def demo_data(tmp_path, settings) -> Path:
    settings.VAR_DIR = tmp_path / "var"
    folder = tmp_path / "data"
    (folder / "codegouvfr-2021").mkdir(parents=True)
    (folder / "codegouvfr").mkdir()
    (folder / "sill").mkdir()
    with (SHARED / "codegouvfr-2021" / "repositories.csv").open(encoding="utf-8") as source:
        reader = csv.DictReader(source)
        rows = [row for row in reader if row["organization_name"] == "InseeFrLab"]
    with (folder / "codegouvfr-2021" / "repositories.csv").open("w", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=reader.fieldnames)
        writer.writeheader()
        writer.writerows(rows)
    shutil.copy(SHARED / "codegouvfr" / "top_organizations.yml", folder / "codegouvfr")
    shutil.copy(SHARED / "sill" / "sill-contributors.json", folder / "sill")
    catalog = json.loads((SHARED / "sill" / "sill.json").read_text(encoding="utf-8"))
    (folder / "sill" / "sill.json").write_text(
        json.dumps([entry for entry in catalog if entry["id"] in SILL_IDS]), encoding="utf-8"
    )
    return folder


def run_demo(data: Path, *args: str) -> str:
    out = StringIO()
    call_command(
        "demo", *args, data=data, no_serve=True, forge_port=_free_port(),
        sources_port=_free_port(), stdout=out,
        stderr=StringIO(),  # the crawl's progress bar
    )  # fmt: skip
    return out.getvalue()


def summary_line(output: str, label: str) -> str:
    summary = output.split("\nSUMMARY\n", 1)[1]
    return next(line for line in summary.splitlines() if line.strip().startswith(label))


def test_demo_prints_a_summary_and_a_second_run_changes_nothing_in_the_catalog(demo_data):
    first = run_demo(demo_data)

    assert "SUMMARY" in first and "Where to go next" in first
    assert "┏" not in first  # no table of every account unless asked
    assert "3 created, 0 updated, 0 unchanged, 0 rejected" in summary_line(first, "SILL sill.json")
    assert "success: 1 accounts (0 failed), 93 repositories (93 new" in summary_line(
        first, "Crawl #"
    )
    assert "2 entries newly linked" in summary_line(first, "Catalog links")
    # The fake sources know the three entries (Comptoir du Libre ids, Wikidata by name).
    assert "3 entries enriched from a source" in summary_line(first, "Enrichment")
    assert "/api/v1/" in first and "/statistiques/" in first
    onyxia = Software.objects.get(sill_id=233)
    assert onyxia.repository is not None
    assert onyxia.repository.full_name.lower() == "inseefrlab/onyxia"
    assert Software.objects.get(sill_id=1).repository is None
    assert manifest_read() is not None  # the open data is published

    second = run_demo(demo_data, "--table")

    assert "0 created, 0 updated, 3 unchanged" in summary_line(second, "SILL sill.json")
    assert "0 entries newly linked" in summary_line(second, "Catalog links")
    assert "┏" in second and "github.com/InseeFrLab" in second  # the table, on request
    assert "0 new, 0 updated, 0 gone" in summary_line(second, "Crawl #")
