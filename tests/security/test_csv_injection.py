"""Item 4: no CSV we write has a cell a spreadsheet would run as a formula; JSON is untouched."""

import csv
import io
import json

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from crawlers.fakeforge.hostile import FORMULAS
from inventory.core.csv_writer import FORMULA_PREFIXES
from inventory.forges.models import Account, Forge, Repository
from inventory.forges.services.accounts_export import accounts_export
from inventory.forges.services.accounts_readers import FORMAT_CSV
from inventory.forges.services.accounts_writers import accounts_import
from inventory.opendata.services import current_dir, exports_generate
from inventory.organisations.models import Organisation
from tests.inventory.catalog import factories

pytestmark = pytest.mark.django_db


def cells(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def assert_no_formula(rows: list[list[str]], where: str) -> None:
    for row in rows:
        for cell in row:
            assert not cell.startswith(FORMULA_PREFIXES), (where, cell[:80])


def test_open_data_and_code_gouv_fr_csvs_escape_what_a_forge_typed(hostile_crawl):
    exports_generate()
    folder = current_dir()
    written = sorted(folder.glob("*.csv"))
    assert {path.name for path in written} >= {
        "repositories.csv", "accounts.csv", "codegouvfr-repositories.csv",
        "codegouvfr-organizations.csv",
    }  # fmt: skip
    for path in written:
        assert_no_formula(cells(path.read_bytes().decode()), path.name)
    repositories = {row["description"] for row in csv.DictReader(
        io.StringIO((folder / "repositories.csv").read_bytes().decode(), newline="")
    )}  # fmt: skip
    assert f"'{FORMULAS[0]}" in repositories and f"'{FORMULAS[5]}" in repositories
    accounts = (folder / "accounts.csv").read_bytes().decode()
    assert f"'{FORMULAS[3]}@evil.example" in accounts  # the forge's public e-mail
    # JSON and NDJSON keep the values as the forge gave them.
    stored = set(Repository.objects.values_list("description", flat=True))
    assert FORMULAS[0] in stored
    as_json = {
        item["description"] for item in json.loads((folder / "repositories.json").read_text())
    }
    as_ndjson = {
        json.loads(line)["description"]
        for line in (folder / "repositories.ndjson").read_text().splitlines()
    }
    assert as_json == as_ndjson == stored


def test_curators_declarations_export_escapes_what_agents_typed(client):
    curator = factories.curator_create(email="curator@numerique.gouv.fr")
    client.force_login(curator)
    software = factories.software_create(name="=Outil", sill_id=7)
    agent = factories.agent_create(email="agent@numerique.gouv.fr", last_name="+Durand")
    factories.referent_create(software=software, agent=agent, use_case=FORMULAS[0])
    factories.user_create(software=software, agent=agent, os="@SUM(1)", version="-1")
    response = client.post(
        reverse("admin:catalog_software_changelist"),
        {"action": "export_declarations_csv", ACTION_CHECKBOX_NAME: [software.pk]},
    )
    assert response["Content-Type"].startswith("text/csv")
    rows = cells(response.content.decode())
    assert len(rows) == 3
    assert_no_formula(rows, "declarations export")
    assert f"'{FORMULAS[0]}" in rows[1]


def test_accounts_csv_export_escapes_and_reads_back_the_same(tmp_path):
    organisation = Organisation.objects.create(
        name="=HYPERLINK(1)", slug="formule", pso_id="11111111-1111-1111-1111-111111111111"
    )
    forge = Forge.objects.create(host="gitlab.ville.fr", kind="gitlab", api_url="https://x.fr")
    Account.objects.create(forge=forge, login="groupe", kind="group", organisation=organisation)
    exported = accounts_export(fmt=FORMAT_CSV)
    assert_no_formula(cells(exported), "accounts export")
    Account.objects.all().delete()
    Organisation.objects.all().delete()
    path = tmp_path / "comptes.csv"
    path.write_text(exported)
    report = accounts_import(source=path)
    assert not report.rejected
    assert Organisation.objects.get().name == "=HYPERLINK(1)"
