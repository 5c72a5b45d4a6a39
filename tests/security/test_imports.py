"""Item 7: malformed import files are refused with a clear error and change nothing."""

import json
from pathlib import Path

import pytest
from django.conf import settings

from inventory.catalog.importers import SillFileError, sill_import_file
from inventory.catalog.models import Software
from inventory.core.exceptions import ApplicationError
from inventory.forges.models import Account, Forge
from inventory.forges.services.account_proposals import account_propose
from inventory.forges.services.accounts_writers import accounts_import
from inventory.organisations.services import organisations_import_ospo, organisations_import_top
from tests.inventory.catalog import factories

pytestmark = pytest.mark.django_db

SILL_2020 = Path(settings.BASE_DIR).parent / "shared" / "data" / "sill" / "sill-2020.csv"
DEEP = 100_000


def test_a_truncated_2020_csv_is_refused_whole_naming_the_cut_line(tmp_path):
    lines = SILL_2020.read_text(encoding="utf-8").splitlines(keepends=True)
    cut = "".join(lines[:18]) + ",Automatisation des tests Web,Sel"  # line 19: Selenium Server
    path = tmp_path / "sill-2020.csv"
    path.write_text(cut, encoding="utf-8")
    with pytest.raises(SillFileError) as refused:
        sill_import_file(path)
    message = str(refused.value)
    assert "line 19" in message and "3 of the 15 columns" in message
    assert not Software.objects.exists()


def test_a_row_with_more_cells_than_the_header_is_refused_too(tmp_path):
    lines = SILL_2020.read_text(encoding="utf-8").splitlines(keepends=True)
    path = tmp_path / "sill-2020.csv"
    path.write_text("".join(lines[:3]) + lines[3].rstrip("\n") + ",extra\n", encoding="utf-8")
    with pytest.raises(SillFileError, match="line 4 has 16 of the 15 columns"):
        sill_import_file(path)
    assert not Software.objects.exists()


@pytest.mark.parametrize("opening", ["[", '{"a":'])
def test_json_nested_100_000_deep_is_a_one_line_error(tmp_path, opening):
    path = tmp_path / "sill.json"
    path.write_text(opening * DEEP)
    with pytest.raises(SillFileError) as refused:
        sill_import_file(path)
    assert "nested too deeply" in str(refused.value) and "\n" not in str(refused.value)


@pytest.mark.parametrize("opening", ["[", "{a: "])
def test_yaml_nested_100_000_deep_is_a_one_line_error(tmp_path, opening):
    path = tmp_path / "comptes.yml"
    path.write_text(f"gitlab.ville.fr:\n  forge: gitlab\n  owners: {opening * DEEP}\n")
    with pytest.raises(ApplicationError) as refused:
        accounts_import(source=path)
    assert "nested too deeply" in refused.value.message
    assert "\n" not in refused.value.message
    assert not Forge.objects.exists()


def _record(sill_id: str, name: str) -> dict:
    return {"id": sill_id, "i": name, "st": "O", "l": "MIT"}


def test_the_same_sill_id_twice_in_a_file_refuses_the_file_naming_both_entries(tmp_path):
    path = tmp_path / "sill.json"
    path.write_text(json.dumps([_record("1", "Un"), _record("2", "Deux"), _record("1", "Autre")]))
    with pytest.raises(SillFileError) as refused:
        sill_import_file(path)
    assert "entry 1" in str(refused.value) and "entry 3" in str(refused.value)
    assert "id 1" in str(refused.value)
    assert not Software.objects.exists()


def test_the_same_id_twice_in_todays_format_is_refused_too(tmp_path):
    path = tmp_path / "sill.json"
    path.write_text(json.dumps([{"id": 5, "name": "Un"}, {"id": 5, "name": "Deux"}]))
    with pytest.raises(SillFileError, match=r"entry 1 \(id 5\) and entry 2 \(id 5\)"):
        sill_import_file(path)


@pytest.mark.parametrize(
    ("host", "kind", "login"),
    [
        ("github.com", "github", "../x"),
        ("github.com", "github", "x/../../y"),
        ("github.com", "github", "-leading-hyphen"),
        ("github.com", "github", "double--hyphen"),
        ("github.com", "github", "under_score"),
        ("github.com", "github", "a" * 40),
        ("gitlab.ville.fr", "gitlab", "groupe/.."),
        ("gitlab.ville.fr", "gitlab", "groupe/projet.git"),
        ("gitlab.ville.fr", "gitlab", "-groupe"),
        ("gitlab.ville.fr", "gitlab", "groupe."),
        ("git.ville.fr", "gitea", "mairie/sous"),
        ("git.ville.fr", "gitea", ".cache"),
        ("git.ville.fr", "gitea", "a" * 41),
    ],
)
def test_logins_the_forge_would_refuse_are_refused_at_import(tmp_path, host, kind, login):
    path = tmp_path / "comptes.yml"
    path.write_text(f"{host}:\n  forge: {kind}\n  owners:\n    '{login}':\n    ok-login:\n")
    report = accounts_import(source=path)
    assert len(report.rejected) == 1, report.rejected
    assert login in report.rejected[0].reason or "login" in report.rejected[0].reason
    assert list(Account.objects.values_list("login", flat=True)) == ["ok-login"]


def test_an_agent_cannot_propose_a_path_traversal_login():
    Forge.objects.create(host="github.com", kind="github", api_url="https://api.github.com")
    agent = factories.agent_create(email="alice@numerique.gouv.fr")
    for login in ("../x", "a/../../b", "-x"):
        with pytest.raises(ApplicationError):
            account_propose(agent=agent, forge_host="github.com", login=login, kind="org")
    assert not Account.objects.exists()


def test_real_logins_are_still_accepted(tmp_path):
    path = tmp_path / "comptes.yml"
    path.write_text(
        "github.com:\n  forge: github\n  owners:\n    etalab:\n    MTES-MCT:\n    betagouv:\n"
        "gitlab.ville.fr:\n  forge: gitlab\n  owners:\n    dinum/etalab.data_gouv:\n"
        "    groupe_1/sous-groupe:\n"
        "git.ville.fr:\n  forge: gitea\n  owners:\n    ville.fr:\n    mairie_2:\n"
    )
    report = accounts_import(source=path)
    assert not report.rejected, report.rejected
    assert Account.objects.count() == 7


@pytest.mark.parametrize("reader", [organisations_import_top, organisations_import_ospo])
def test_nested_yaml_beside_the_registry_is_a_one_line_error_too(tmp_path, reader):
    path = tmp_path / "top_organizations.yml"
    path.write_text("[" * DEEP)
    with pytest.raises(ApplicationError, match="nested too deeply"):
        reader(path=path)
