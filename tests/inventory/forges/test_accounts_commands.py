"""manage.py import_accounts and export_accounts."""

import io
import shutil

import pytest
from django.core.management import CommandError, call_command

from inventory.core.paths import shared_data_dir
from inventory.forges.models import Account, Forge
from inventory.organisations.models import Organisation

pytestmark = pytest.mark.django_db

DATA = shared_data_dir() / "codegouvfr"


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_import_reads_the_top_organisations_beside_the_file_and_prints_its_counts():
    output = run("import_accounts", str(DATA / "comptes-organismes-publics.yml"))

    assert "top_organizations.yml: top organisations: 19 organisations created" in output
    assert "fr-public-sector-ospo.yml: OSPO links: " in output
    assert "forges: 93 created, 0 updated, 0 unchanged" in output
    assert "accounts: 387 created, 0 updated, 0 unchanged" in output
    assert "warning comptes-organismes-publics.yml:773 (gitlab.mim-libre.fr › pso_id)" in output
    assert Organisation.objects.get(pso_id="d24d1af2-c506-4b10-82e8-ab92b8e959d2").is_top


def test_second_run_reports_everything_unchanged():
    run("import_accounts", str(DATA / "comptes-organismes-publics.yml"))

    output = run("import_accounts", str(DATA / "comptes-organismes-publics.yml"))

    assert (
        "forges: 0 created, 0 updated, 93 unchanged; accounts: 0 created, 0 updated, 387 unchanged"
        in output
    )


def test_url_keyed_file_uses_the_platforms_table_beside_it():
    output = run("import_accounts", str(DATA / "comptes-organismes-publics-2024-url-keyed.yml"))

    assert "(url-keyed format)" in output
    assert Forge.objects.get(host="gogs.univ-littoral.fr").kind == "gogs"
    assert "no forge kind known for gitlab.inria.fr" not in output  # platforms.csv names it


def test_dry_run_stores_nothing_not_even_the_top_organisations():
    output = run("import_accounts", "--dry-run", str(DATA / "comptes-organismes-publics.yml"))

    assert "[dry run]" in output
    assert not Forge.objects.exists()
    assert not Organisation.objects.exists()


def test_unreadable_file_fails_alone_and_the_other_files_are_imported(tmp_path):
    shutil.copy(DATA / "comptes-organismes-publics.yml", tmp_path / "good.yml")
    (tmp_path / "bad.yml").write_bytes(b"\x00\x01\x02 not text \xff")
    err = io.StringIO()

    with pytest.raises(CommandError, match="1 file"):
        call_command(
            "import_accounts",
            str(tmp_path / "bad.yml"),
            str(tmp_path / "good.yml"),
            stdout=io.StringIO(),
            stderr=err,
        )

    assert "bad.yml: not a YAML or CSV accounts file" in err.getvalue()
    assert Forge.objects.count() == 93
    assert not Organisation.objects.filter(is_top=True).exists()  # no top_organizations.yml beside


def test_export_writes_yaml_to_a_file_and_csv_to_standard_output(tmp_path):
    run("import_accounts", str(DATA / "comptes-organismes-publics.yml"))
    target = tmp_path / "export.yml"

    run("export_accounts", "-o", str(target))
    csv_text = run("export_accounts", "--format", "csv")

    assert "github.com:\n  forge: github\n  owners:\n" in target.read_text(encoding="utf-8")
    assert len(csv_text.splitlines()) == 1 + Account.objects.count()
    output = run("import_accounts", str(target))
    assert (
        "forges: 0 created, 0 updated, 93 unchanged; accounts: 0 created, 0 updated, 387 unchanged"
        in output
    )
