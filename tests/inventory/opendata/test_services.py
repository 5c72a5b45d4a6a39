"""exports_generate: every dataset in CSV, JSON and NDJSON (and gzip), with manifest and Table
Schemas, row counts equal to the database's, published atomically."""

import csv
import gzip
import hashlib
import io
import json
from dataclasses import replace

import pytest

from inventory.catalog.models import Software, SoftwareStatus
from inventory.forges.models import Repository
from inventory.opendata.formats.datasets import DATASETS
from inventory.opendata.services import current_dir, exports_generate, manifest_read

pytestmark = pytest.mark.django_db


def read_csv(folder, name):
    with (folder / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_every_file_matches_its_manifest_entry(world):
    result = exports_generate()
    folder = result.folder
    files = {entry["name"]: entry for entry in result.manifest["files"]}
    for name, entry in files.items():
        content = (folder / name).read_bytes()
        assert entry["bytes"] == len(content), name
        assert entry["sha256"] == hashlib.sha256(content).hexdigest(), name
    for dataset in ("repositories", "accounts", "organisations", "software", "declarations"):
        for fmt in ("csv", "json", "ndjson"):
            assert f"{dataset}.{fmt}" in files
            plain = (folder / f"{dataset}.{fmt}").read_bytes()
            assert gzip.decompress((folder / f"{dataset}.{fmt}.gz").read_bytes()) == plain
    assert {"sill.json", "sill-2022.json", "codegouvfr-repositories.csv",
            "codegouvfr-repositories.json", "codegouvfr-organizations.csv",
            "codegouvfr-organizations.json"} <= set(files)  # fmt: skip
    assert manifest_read() == result.manifest


def test_row_counts_equal_the_database_in_every_format(world):
    folder = exports_generate().folder
    expected = {
        "repositories": Repository.objects.count(),
        "accounts": 3,  # the proposal is not public
        "organisations": 3,
        "software": Software.objects.exclude(status=SoftwareStatus.PROPOSED).count(),
        "declarations": 3,  # (libreoffice, dinum), (libreoffice, interieur), (ancien, dinum)
    }
    for dataset, count in expected.items():
        assert len(read_csv(folder, f"{dataset}.csv")) == count, dataset
        assert len(json.loads((folder / f"{dataset}.json").read_text())) == count, dataset
        lines = (folder / f"{dataset}.ndjson").read_text().splitlines()
        assert all(isinstance(json.loads(line), dict) for line in lines)
        assert len(lines) == count, dataset


def test_table_schemas_list_the_csv_header(world):
    folder = exports_generate().folder
    for dataset in DATASETS:
        schema = json.loads((folder / f"{dataset.name}.schema.json").read_text())
        header = next(csv.reader(io.StringIO((folder / f"{dataset.name}.csv").read_text())))
        assert [field["name"] for field in schema["fields"]] == header, dataset.name
        assert all(field["type"] for field in schema["fields"])


def test_csv_follows_data_gouv_conventions(world):
    folder = exports_generate().folder
    raw = (folder / "repositories.csv").read_bytes()
    assert raw.decode("utf-8").startswith("id,forge,remote_id,")
    rows = {row["full_name"]: row for row in read_csv(folder, "repositories.csv")}
    udata = rows["etalab/udata"]
    assert udata["topics"] == "open-data;python"
    assert (udata["fork"], udata["has_publiccode"]) == ("false", "true")
    assert udata["first_seen_at"] == "2024-01-02T00:00:00Z"
    assert udata["gone_at"] == ""
    assert rows["etalab/vanished"]["gone_at"] == "2024-10-27T00:00:00Z"
    assert udata["organisation"] == "dinum" and udata["ministry"] == "premier-ministre"
    assert rows["dsic/portail"]["organisation"] == "interieur"
    record = json.loads((folder / "repositories.json").read_text())[0]
    assert record["topics"] == ["open-data", "python"] and record["fork"] is False


def test_declarations_hold_counts_and_no_identity(world):
    folder = exports_generate().folder
    rows = read_csv(folder, "declarations.csv")
    assert [(r["software"], r["organisation"], r["referent_count"], r["technical_expert_count"],
             r["user_count"]) for r in rows] == [
        ("libreoffice", "dinum", "2", "1", "0"),
        ("libreoffice", "interieur", "0", "0", "1"),
        ("ancien", "dinum", "0", "0", "1"),
    ]  # fmt: skip
    assert b"@" not in (folder / "declarations.csv").read_bytes()


def test_codegouvfr_exports_use_todays_field_names_and_types(world):
    folder = exports_generate().folder
    repositories = json.loads((folder / "codegouvfr-repositories.json").read_text())
    assert len(repositories) == 4  # gone repositories are not in code.gouv.fr's export
    udata = next(r for r in repositories if r["repo_name"] == "udata")
    assert udata == {
        "id": "https://github.com/etalab/udata",
        "full_name": "etalab/udata",
        "repo_name": "udata",
        "owner": "https://github.com/etalab",
        "platform": "github.com",
        "description": "Open data portal",
        "language": "Python",
        "license": "AGPL-3.0",
        "fork": False,
        "archived": False,
        "template": False,
        "forks_count": 20,
        "updated_at": "2024-01-02T00:00:00Z",
        "publiccode": True,
        "contributing": True,
        "awesome-score": 2310,
    }
    organisations = {
        o["login"]: o for o in json.loads((folder / "codegouvfr-organizations.json").read_text())
    }
    assert organisations["etalab"]["organization"] == "Direction interministérielle du numérique"
    assert organisations["etalab"]["ministry"] == "Premier ministre"
    assert organisations["etalab"]["repositories_count"] == 2
    assert organisations["orphan-org"]["organization"] == ""  # no organisation: still listed
    header = next(csv.reader(io.StringIO((folder / "codegouvfr-organizations.csv").read_text())))
    assert header == ["id", "login", "name", "description", "website", "location", "email",
                      "icon_url", "created_at", "forge", "organization", "ministry",
                      "floss_policy", "ospo_url", "repositories_count", "followers"]  # fmt: skip


def test_sill_exports_are_published(world):
    folder = exports_generate().folder
    current = json.loads((folder / "sill.json").read_text())
    assert {entry["name"] for entry in current} == {"LibreOffice", "Ancien logiciel"}
    short = json.loads((folder / "sill-2022.json").read_text())
    assert {entry["i"] for entry in short} == {"LibreOffice", "Ancien logiciel"}


def test_a_new_generation_replaces_the_published_release_at_once(world, settings):
    first = exports_generate().folder
    Repository.objects.filter(pk=world.repositories[2].pk).delete()
    second = exports_generate().folder
    assert current_dir() == second.resolve() != first.resolve()
    assert len(read_csv(second, "repositories.csv")) == 4
    assert (settings.OPENDATA_DIR / "current").is_symlink()
    for _ in range(3):
        exports_generate()
    assert len(list((settings.OPENDATA_DIR / "releases").iterdir())) == 2


def test_a_failed_generation_leaves_the_published_files_alone(world, settings, monkeypatch):
    published = exports_generate().folder

    def broken_rows():
        yield (1,)
        raise RuntimeError("database went away")

    from inventory.opendata.formats.writers import Column, Dataset

    broken = Dataset("broken", "Broken", "", (Column("a", "integer", ""),), broken_rows)
    with pytest.raises(RuntimeError):
        exports_generate(datasets=(broken,))
    assert current_dir() == published.resolve()
    assert len(list((settings.OPENDATA_DIR / "releases").iterdir())) == 1


def test_repositories_csv_from_copy_is_byte_for_byte_the_python_one(world, tmp_path):
    from django.db import connection

    from inventory.opendata.formats.datasets import repository_csv_copy
    from inventory.opendata.formats.writers import dataset_write
    from tests.inventory.api.factories import repository

    repository(
        world.etalab, "tricky", number=9, description='Commas, "quotes"\nand «accents»',
        topics=[], subscribers=None, license_spdx="NOASSERTION", forks=101, is_template=True,
    )  # fmt: skip
    repository(
        world.etalab, "=formula", number=10, description="@SUM(1+1)", topics=["-x", "+y"],
        homepage="\t=1+1", default_branch="\r=2",
    )  # formulas are escaped alike  # fmt: skip
    [dataset] = [dataset for dataset in DATASETS if dataset.name == "repositories"]
    if connection.vendor != "postgresql":
        assert repository_csv_copy() is None  # SQLite: the Python writer does it all
        return
    (tmp_path / "copy").mkdir()
    (tmp_path / "python").mkdir()
    [by_copy] = dataset_write(replace(dataset, gzip=False), tmp_path / "copy", formats=("csv",))
    [by_python] = dataset_write(
        replace(dataset, gzip=False), tmp_path / "python", formats=("csv",), use_copy=False
    )
    assert by_copy.path.read_bytes() == by_python.path.read_bytes()
    assert by_copy.rows == by_python.rows == Repository.objects.count()
