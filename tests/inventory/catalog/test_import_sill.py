"""``manage.py import_sill`` on the real SILL files and on broken ones."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from inventory.catalog.importers import SillFileError, sill_import_file
from inventory.catalog.models import Category, Instance, Software, SoftwareStatus
from inventory.catalog.services.repositories import software_repositories_link
from inventory.forges.models import Account, AccountKind, Forge, ForgeKind, Repository
from inventory.organisations.models import Organisation

pytestmark = pytest.mark.django_db

# The three entries of sill.json whose license text cannot be read as SPDX: imported, flagged.
FLAGGED_2022 = {119: "CPA", 150: "BSD-3.0", 239: "MPL-2.0, GPL-2.0, LGPL-2.0, CeCILL-2.2"}


def minimal_2022(sill_id: str, name: str, **changes) -> dict:
    record = {"id": sill_id, "i": name, "f": "", "l": "MIT", "st": "O", "y": "2022", "g": "MIMO",
              "se": "", "c": "Outil", "co": "", "u": "", "p": "", "a": "", "su": "", "si": "",
              "la": "", "v-": "", "v+": ""}  # fmt: skip
    return {**record, **changes}


def catalog_state() -> list:
    return [
        list(Software.objects.order_by("pk").values()),
        Software.history.count(),
        list(Category.objects.values_list("pk", "name")),
        list(Organisation.objects.values_list("pk", "name")),
    ]


def test_the_real_2022_file_imports_every_entry_flags_three_licenses_and_links_entries(sill_dir):
    report = sill_import_file(sill_dir / "sill.json")
    assert report.format == "sill-2022"
    assert (report.created, report.updated, report.rejects) == (240, 0, [])
    assert Software.objects.count() == 240
    flagged = dict(
        Software.objects.filter(license_needs_review=True).values_list("sill_id", "license_raw")
    )
    assert flagged == FLAGGED_2022
    assert len(report.warnings) == 3
    statuses = dict(
        (status, Software.objects.filter(status=status).count()) for status in SoftwareStatus.values
    )
    assert statuses == {"proposed": 0, "observation": 48, "recommended": 180, "dereferenced": 12}
    # Parents by name, similar entries by SILL id, the component as a category.
    glpi = Software.objects.get(name="GLPI")
    assert Software.objects.get(sill_id=3).parent == glpi
    drupal = Software.objects.get(sill_id=36)
    assert set(drupal.similar.values_list("sill_id", flat=True)) == {162, 173, 203, 211}
    # Firefox is not an entry of its own: the parent stays a text.
    grammalecte_firefox = Software.objects.get(sill_id=57)
    assert grammalecte_firefox.parent is None
    assert grammalecte_firefox.parent_raw == "Firefox"
    # Two entries share the name Grammalecte (one per host software): both are kept.
    assert Software.objects.filter(name="Grammalecte").count() == 2
    assert drupal.categories.get().name == drupal.component


def test_a_second_import_changes_nothing(sill_dir):
    sill_import_file(sill_dir / "sill.json")
    before = catalog_state()
    report = sill_import_file(sill_dir / "sill.json")
    assert (report.created, report.updated, report.unchanged) == (0, 0, 240)
    assert catalog_state() == before


def test_the_command_reports_counts_and_rejects(sill_dir):
    out = StringIO()
    call_command("import_sill", str(sill_dir / "sill-2020.csv"), stdout=out)
    text = out.getvalue()
    assert "160 created, 0 updated, 0 unchanged, 2 rejected" in text
    assert "rejected sill-2020.csv: line 155: same software (name and parent) as line 62" in text
    out = StringIO()
    call_command("import_sill", str(sill_dir / "sill-2020.csv"), stdout=out)
    assert "0 created, 0 updated, 160 unchanged, 2 rejected" in out.getvalue()


def test_the_2020_table_adds_only_its_own_fields_to_entries_of_2022(sill_dir):
    sill_import_file(sill_dir / "sill.json")
    seven_zip_before = Software.objects.get(sill_id=1)
    report = sill_import_file(sill_dir / "sill-2020.csv")
    assert [reject.location for reject in report.rejects] == [
        "sill-2020.csv: line 155",  # Jitsi listed twice
        "sill-2020.csv: line 157",  # OpenLdap listed twice
    ]
    assert report.created == 22  # rows of 2020 that the 2022 catalog no longer lists
    seven_zip = Software.objects.get(sill_id=1)
    assert seven_zip.external_id == "Q215051"
    assert seven_zip.external_data_origin == "wikidata"
    assert (seven_zip.function, seven_zip.status, seven_zip.version_min) == (
        seven_zip_before.function, seven_zip_before.status, seven_zip_before.version_min,
    )  # fmt: skip
    glpi_survey = Software.objects.get(name="GLPI", parent__name="GLPI")  # a GLPI plug-in
    assert glpi_survey.function == "Plugin GLPI-Survey (questionnaire)"
    assert glpi_survey.catalog_years == [2020]
    # A second entry named GLPI does not confuse the plug-ins of 2022 about their parent.
    glpi = Software.objects.get(sill_id=glpi_survey.parent.sill_id)
    assert Software.objects.get(sill_id=3).parent == glpi
    before = catalog_state()
    again = sill_import_file(sill_dir / "sill.json")
    assert (again.created, again.updated) == (0, 0)
    assert catalog_state() == before
    assert Software.objects.get(sill_id=3).parent == glpi


def test_contributors_become_organisations_with_acronym_and_annuaire_link(sill_dir):
    out = StringIO()
    call_command(
        "import_sill",
        "--contributors",
        str(sill_dir / "sill-contributors.json"),
        "-v",
        "2",
        stdout=out,
    )
    assert "24 created, 0 updated, 0 unchanged, 0 rejected, 1 warnings" in out.getvalue()
    # The one Annuaire path too long for an id (a prefecture's local page) is kept as website.
    assert "warning sill-contributors.json: entry 15: Annuaire path too long" in out.getvalue()
    records = json.loads((sill_dir / "sill-contributors.json").read_text())
    for record in records:
        organisation = Organisation.objects.get(name=record["Organisme"])
        assert organisation.acronym == record["Acronyme"]
        assert record["Annuaire"] in (organisation.annuaire_url, organisation.website)
    assert Organisation.objects.get(acronym="ANCT").annuaire_url == (
        "https://lannuaire.service-public.fr/gouvernement/administration-centrale-ou-ministere_172190"
    )
    again = sill_import_file(sill_dir / "sill-contributors.json")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 24)


def test_a_source_url_is_linked_to_the_inventory_repository(write_json):
    forge = Forge.objects.create(
        host="github.com", kind=ForgeKind.GITHUB, api_url="https://api.github.com"
    )
    account = Account.objects.create(forge=forge, login="ansible", kind=AccountKind.ORG)
    now = timezone.now()
    repository = Repository.objects.create(
        forge=forge, remote_id="1", account=account, owner="ansible", name="ansible",
        full_name="ansible/ansible", html_url="https://github.com/ansible/ansible",
        first_seen_at=now, last_seen_at=now,
    )  # fmt: skip
    path = write_json(
        "sill.json",
        [minimal_2022("5", "Ansible", sources="https://github.com/Ansible/ansible.git")],
    )
    sill_import_file(path)
    assert Software.objects.get(sill_id=5).repository == repository


def test_a_truncated_file_is_refused_whole_and_changes_nothing(sill_dir, tmp_path):
    sill_import_file(sill_dir / "sill-contributors.json")
    before = catalog_state()
    truncated = tmp_path / "sill.json"
    truncated.write_text((sill_dir / "sill.json").read_text()[:50_000], encoding="utf-8")
    with pytest.raises(SillFileError, match="not valid JSON.*truncated"):
        sill_import_file(truncated)
    with pytest.raises(CommandError, match="1 file"):
        call_command("import_sill", str(truncated), stdout=StringIO(), stderr=StringIO())
    assert catalog_state() == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "empty"),
        ('{"i": "7zip"}', "expected a JSON array"),
        ("[1, 2, 3]", "no record"),
        ('[{"foo": "bar"}]', "match no SILL format"),
        ("nom,licence\nGLPI,GPL", "neither JSON nor the 2020 CSV"),
    ],
)
def test_files_in_no_known_shape_are_refused_with_a_clear_message(tmp_path, content, message):
    path = tmp_path / "file.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(SillFileError, match=message):
        sill_import_file(path)
    assert not Software.objects.exists()


def test_a_file_that_is_not_utf8_is_refused(tmp_path):
    path = tmp_path / "sill.json"
    path.write_bytes(b'[{"i": "\xff\xfe"}]')
    with pytest.raises(SillFileError, match="UTF-8"):
        sill_import_file(path)


def test_invalid_records_are_rejected_with_location_and_reason_and_the_rest_kept(write_json):
    path = write_json(
        "sill.json",
        [
            minimal_2022("1", "Bon"),
            minimal_2022("2", 5),
            minimal_2022("3", ""),
            minimal_2022("4", "Statut inconnu", st="X"),
            minimal_2022("5", "Mauvaise URL", website="pas une url"),
            "pas un objet",
            minimal_2022("7", "Années", y="deux mille"),
            minimal_2022("8", "Groupe", g="MIMOSA"),
            minimal_2022("9", "Aussi bon"),
        ],
    )
    report = sill_import_file(path)
    assert report.created == 2
    assert sorted(Software.objects.values_list("name", flat=True)) == ["Aussi bon", "Bon"]
    reasons = {reject.location: reject.reason for reject in report.rejects}
    assert set(reasons) == {
        "sill.json: entry 2 (id 2)",
        "sill.json: entry 3 (id 3)",
        "sill.json: entry 4 (id 4)",
        "sill.json: entry 5 (id 5)",
        "sill.json: entry 6",
        "sill.json: entry 7 (id 7)",
        "sill.json: entry 8 (id 8)",
    }
    assert "must be text" in reasons["sill.json: entry 2 (id 2)"]
    assert "name" in reasons["sill.json: entry 3 (id 3)"]
    assert "unknown status" in reasons["sill.json: entry 4 (id 4)"]
    assert "“website”" in reasons["sill.json: entry 5 (id 5)"]  # the key the file uses
    assert "expected an object" in reasons["sill.json: entry 6"]
    assert "years" in reasons["sill.json: entry 7 (id 7)"]
    assert "working group" in reasons["sill.json: entry 8 (id 8)"]


def test_a_rejected_record_leaves_no_half_written_category(write_json):
    path = write_json(
        "sill.json",
        [
            minimal_2022("1", "Mauvaise URL", c="Catégorie orpheline", website="pas une url"),
            minimal_2022("2", "Bon", c="Catégorie orpheline"),
        ],
    )
    report = sill_import_file(path)
    assert report.created == 1
    assert Software.objects.get().categories.get().name == "Catégorie orpheline"


def test_a_dry_run_reports_without_changing_anything(sill_dir):
    categories = list(Category.objects.values_list("pk", "name"))  # the curated ones
    out = StringIO()
    call_command("import_sill", str(sill_dir / "sill-2020.csv"), "--dry-run", stdout=out)
    assert "[dry run]" in out.getvalue()
    assert "160 created" in out.getvalue()
    assert not Software.objects.exists()
    assert list(Category.objects.values_list("pk", "name")) == categories


def test_todays_public_format_is_imported_with_instances_and_dereferencing(write_json):
    record = {
        "id": 321, "name": "Jitsi Meet", "description": "Visioconférence",
        "referencedSinceTime": 1_600_000_000_000, "updateTime": 1_700_000_000_000,
        "dereferencing": {"reason": "Remplacé", "time": 1_650_000_000_000, "lastRecommendedVersion": "2.0"},
        "isStillInObservation": False, "doRespectRgaa": True, "isFromFrenchPublicService": False,
        "isPresentInSupportContract": True, "license": "Apache-2.0",
        "softwareType": {"type": "desktop/mobile", "os": {"windows": True, "linux": True, "mac": False, "android": False, "ios": False}},
        "versionMin": "2.0", "workshopUrls": ["https://atelier.example.fr"], "categories": ["Visio"],
        "generalInfoMd": "**Visio**", "logoUrl": None, "keywords": ["visio"],
        "externalId": "Q58427", "externalDataOrigin": "wikidata", "similarSoftwares": [{"name": "BigBlueButton"}],
        "latestVersion": {"semVer": "2.0.9", "publicationTime": 1_690_000_000_000},
        "hasExpertReferent": False, "userAndReferentCountByOrganization": {"DINUM": {"userCount": 2, "referentCount": 1}},
        "instances": [{"id": 1, "organization": "DINUM", "targetAudience": "Agents", "publicUrl": "https://webconf.numerique.gouv.fr"}],
    }  # fmt: skip
    path = write_json("sill-current.json", [record])
    report = sill_import_file(path)
    assert (report.format, report.created, report.rejects) == ("sill-current", 1, [])
    software = Software.objects.get(sill_id=321)
    assert software.status == SoftwareStatus.DEREFERENCED
    assert software.dereferencing_reason == "Remplacé"
    assert software.last_recommended_version == "2.0"
    assert (software.is_desktop, software.os_windows, software.os_linux, software.os_mac) == (
        True,
        True,
        True,
        False,
    )
    assert software.respects_rgaa is True
    assert software.is_in_support_contract
    assert software.latest_version == "2.0.9"
    assert software.similar_raw == "BigBlueButton"
    assert software.categories.get().name == "Visio"
    instance = Instance.objects.get()
    assert (instance.organisation.name, instance.public_url) == (
        "DINUM",
        "https://webconf.numerique.gouv.fr",
    )
    again = sill_import_file(path)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)
    assert Instance.objects.count() == 1


def test_a_current_format_record_of_wrong_types_is_rejected(write_json):
    path = write_json(
        "sill-current.json",
        [
            {"id": "douze", "name": "X"},
            {"id": 13, "name": "Y", "softwareType": {"type": "robot"}},
            {"id": 14, "name": "Z"},
            {"id": 15, "name": "W", "referencedSinceTime": 10**30},
            {"id": 16, "name": "V", "instances": [{"organization": ""}]},
        ],
    )
    report = sill_import_file(path)
    assert report.created == 1
    assert [r.location for r in report.rejects] == [
        "sill-current.json: entry 1 (id douze)",
        "sill-current.json: entry 2 (id 13)",
        "sill-current.json: entry 4 (id 15)",
        "sill-current.json: entry 5 (id 16)",
    ]
    assert list(Software.objects.values_list("sill_id", flat=True)) == [14]


def test_entries_imported_before_the_crawl_are_linked_after_it_and_reimport_changes_nothing(
    write_json,
):
    path = write_json(
        "sill.json",
        [minimal_2022("5", "Ansible", sources="https://github.com/Ansible/ansible.git"),
         minimal_2022("6", "Sans dépôt", sources="https://example.org/sans-depot")],
    )  # fmt: skip
    sill_import_file(path)
    forge = Forge.objects.create(
        host="github.com", kind=ForgeKind.GITHUB, api_url="https://api.github.com"
    )
    account = Account.objects.create(forge=forge, login="ansible", kind=AccountKind.ORG)
    now = timezone.now()
    repository = Repository.objects.create(
        forge=forge, remote_id="1", account=account, owner="ansible", name="ansible",
        full_name="ansible/ansible", html_url="https://github.com/ansible/ansible",
        first_seen_at=now, last_seen_at=now,
    )  # fmt: skip

    assert software_repositories_link() == 1
    assert Software.objects.get(sill_id=5).repository == repository
    assert software_repositories_link() == 0

    again = sill_import_file(path)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)


def test_the_sill_2022_file_says_yes_or_nothing_about_the_support_contract(write_json):
    path = write_json("sill.json", [minimal_2022("1", "A"), minimal_2022("2", "B", su="Oui")])
    sill_import_file(path)
    assert Software.objects.get(sill_id=1).is_in_support_contract is None
    assert Software.objects.get(sill_id=2).is_in_support_contract is True
    assert Software.objects.get(sill_id=1).is_from_french_public_service is None
