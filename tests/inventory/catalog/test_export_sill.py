"""``manage.py export_sill``: the 2022 round trip, and today's public format without identities."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from inventory.catalog.importers import sill_import_file
from inventory.catalog.models import Software, SoftwareStatus
from inventory.catalog.services import referent_declare, software_update, user_declare
from inventory.catalog.sill_formats import COLUMNS_2022, sill_export_2022, sill_export_current
from tests.inventory.catalog import factories

pytestmark = pytest.mark.django_db


def by_id(records: list[dict]) -> dict[str, dict]:
    return {record["id"]: record for record in records}


def test_the_real_2022_file_round_trips_field_for_field(sill_dir, tmp_path):
    original = json.loads((sill_dir / "sill.json").read_text(encoding="utf-8"))
    sill_import_file(sill_dir / "sill.json")
    output = tmp_path / "export.json"
    call_command("export_sill", "--format", "2022", "-o", str(output), stderr=StringIO())
    exported = json.loads(output.read_text(encoding="utf-8"))
    assert len(exported) == len(original) == 240
    exported_by_id = by_id(exported)
    for record in original:
        assert exported_by_id[record["id"]] == record  # dict equality: only key order ignored


def test_the_model_itself_holds_every_2022_field(sill_dir):
    """Without the kept source texts, every key still renders to the same value (up to null vs
    "" and spacing), so the round trip does not rest on a stored copy of the file."""
    original = by_id(json.loads((sill_dir / "sill.json").read_text(encoding="utf-8")))
    sill_import_file(sill_dir / "sill.json")
    Software.objects.update(source_records={})
    for record in sill_export_2022():
        source = original[record["id"]]
        for column in COLUMNS_2022:
            assert column.canon(record[column.key]) == column.canon(source.get(column.key)), (
                record["id"],
                column.key,
            )


def test_an_edit_after_the_import_shows_in_the_export(write_json):
    path = write_json(
        "sill.json",
        [{"id": "7", "i": "Outil", "f": "Avant", "l": "GPL V2.0", "st": "O", "y": "2021 ; 2022 ;",
          "g": "MIMO", "se": "", "c": "", "co": "", "u": "", "p": "", "a": "", "su": "", "si": "",
          "la": "", "v-": "", "v+": "", "doc": None}],
    )  # fmt: skip
    sill_import_file(path)
    software = Software.objects.get(sill_id=7)
    software_update(actor=factories.curator_create(), software=software, function="Après")
    [record] = sill_export_2022()
    assert record["f"] == "Après"
    assert record["l"] == "GPL V2.0"  # untouched: the source's text comes back
    assert record["y"] == "2021 ; 2022 ;"
    assert record["doc"] is None
    software_update(actor=factories.curator_create(), software=software, license="MIT")
    [record] = sill_export_2022()
    assert record["l"] == "MIT"


def test_entries_created_here_get_ids_after_the_imported_ones_and_proposals_stay_out():
    factories.software_create(name="Importé", sill_id=12)
    factories.software_create(name="Nouveau")
    factories.software_create(name="Proposé", status=SoftwareStatus.PROPOSED)
    records = sill_export_2022()
    assert [(r["id"], r["i"]) for r in records] == [("12", "Importé"), ("13", "Nouveau")]
    assert records[1]["st"] == "O"


def test_the_current_format_counts_declarations_by_organisation_and_names_no_agent():
    dinum = factories.organisation_create(name="DINUM")
    insee = factories.organisation_create(name="Insee")
    software = factories.software_create(
        name="GLPI", sill_id=40, status=SoftwareStatus.DEREFERENCED, dereferencing_reason="Obsolète",
        last_recommended_version="9.5", is_cloud=True,
    )  # fmt: skip
    referent = factories.agent_create(
        organisation=dinum, email="referente@numerique.gouv.fr", first_name="Ada",
        last_name="Lovelace", contact_public=True,
    )  # fmt: skip
    referent_declare(agent=referent, software=software, is_technical_expert=True)
    user_declare(agent=factories.agent_create(organisation=dinum), software=software)
    user_declare(agent=factories.agent_create(organisation=insee), software=software)
    factories.instance_create(software=software, organisation=insee, target_audience="Agents")

    out = StringIO()
    call_command("export_sill", "--format", "current", stdout=out)
    text = out.getvalue()
    assert "@" not in text
    assert "Lovelace" not in text
    [record] = json.loads(text)
    assert record["id"] == 40
    assert record["userAndReferentCountByOrganization"] == {
        "DINUM": {"userCount": 1, "referentCount": 1},
        "Insee": {"userCount": 1, "referentCount": 0},
    }
    assert record["hasExpertReferent"] is True
    assert record["dereferencing"]["reason"] == "Obsolète"
    assert record["dereferencing"]["lastRecommendedVersion"] == "9.5"
    assert record["softwareType"] == {"type": "cloud"}
    assert record["instances"][0]["organization"] == "Insee"


def test_the_current_export_of_the_real_catalog_carries_no_e_mail(sill_dir):
    sill_import_file(sill_dir / "sill.json")
    software = Software.objects.get(sill_id=1)
    referent_declare(
        agent=factories.agent_create(email="secret@interieur.gouv.fr"), software=software
    )
    records = sill_export_current()
    assert len(records) == 240
    assert "@" not in json.dumps(records, ensure_ascii=False)


def test_the_current_export_reimports_into_an_empty_catalog(tmp_path):
    organisation = factories.organisation_create(name="Ville de Paris")
    software = factories.software_create(
        name="Nextcloud", sill_id=77, status=SoftwareStatus.RECOMMENDED, license="AGPL-3.0-only",
        is_desktop=True, os_linux=True, keywords=["cloud"], respects_rgaa=False,
    )  # fmt: skip
    factories.instance_create(software=software, organisation=organisation)
    exported = sill_export_current()
    Software.objects.all().delete()
    path = tmp_path / "current.json"
    path.write_text(json.dumps(exported), encoding="utf-8")
    report = sill_import_file(path)
    assert (report.created, report.rejects) == (1, [])
    again = Software.objects.get(sill_id=77)
    assert (again.name, again.status, again.license) == (
        "Nextcloud",
        "recommended",
        "AGPL-3.0-only",
    )
    assert (again.is_desktop, again.os_linux, again.keywords, again.respects_rgaa) == (
        True,
        True,
        ["cloud"],
        False,
    )
    assert again.instances.get().organisation == organisation
