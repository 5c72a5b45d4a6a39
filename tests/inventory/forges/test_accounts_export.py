"""accounts_export: the registry back in code.gouv.fr's current YAML or our CSV, and round trips."""

import pytest

from inventory.core.paths import shared_data_dir
from inventory.forges.models import Account, AccountKind, AccountState, Forge, ForgeKind
from inventory.forges.services.accounts_export import accounts_export
from inventory.forges.services.accounts_readers import FORMAT_CSV
from inventory.forges.services.accounts_writers import accounts_import
from inventory.organisations.models import Organisation

pytestmark = pytest.mark.django_db

CURRENT = shared_data_dir() / "codegouvfr" / "comptes-organismes-publics.yml"


def registry() -> tuple[dict, dict]:
    """What the registry says, independent of row ids and organisation names."""
    forges = {
        forge.host: (
            forge.kind,
            forge.api_url,
            forge.whole_instance,
            forge.organisation.pso_id if forge.organisation else None,
            forge.ignored_since,
            forge.floss_policy,
            forge.ospo_url,
        )
        for forge in Forge.objects.select_related("organisation")
    }
    accounts = {
        (account.forge.host, account.login): (
            account.kind,
            account.organisation.pso_id if account.organisation else None,
            account.state,
            account.ignored_since,
            account.floss_policy,
            account.ospo_url,
        )
        for account in Account.objects.select_related("forge", "organisation")
    }
    return forges, accounts


def wipe() -> None:
    Account.objects.all().delete()
    Forge.objects.all().delete()
    Organisation.objects.all().delete()


def test_export_of_the_real_file_imports_back_into_the_same_registry():
    accounts_import(source=CURRENT)
    before = registry()

    text = accounts_export()
    wipe()
    report = accounts_import(source=text)

    assert report.rejected == [] and report.warnings == []
    assert registry() == before
    assert len(before[0]) == 93 and len(before[1]) == 387


def test_importing_the_export_over_the_registry_changes_nothing():
    accounts_import(source=CURRENT)

    report = accounts_import(source=accounts_export())

    assert report.count("created") == report.count("updated") == 0


def test_export_writes_the_current_format_with_its_header_and_fields():
    accounts_import(source=CURRENT)

    text = accounts_export()

    assert text.startswith("# Public-sector forge accounts")
    assert (
        "gitlab.u-psud.fr:\n  forge: gitlab\n  pso_id: 4ca60afd-3886-434c-80bb-f6bc55581323\n  ignored_since: 2024-08-09\n"
        in text
    )
    assert (
        "    gristgouv:\n      pso_id: e5299ba4-7aa4-4f95-aa82-7e765d5648fe\n      ospo_url: https://beta.gouv.fr/"
        in text
    )
    # An owner of the forge's own organisation is written without pso_id, as in the source file.
    assert (
        "forge.apps.education.fr:\n  forge: gitlab\n  pso_id: 3ed2f725-e077-4973-a531-498e13fc7861\n  owners:\n"
        in text
    )
    assert "    drane-lyon: null\n" in text


def test_export_leaves_out_proposals_and_forges_without_registered_owners():
    forge = Forge.objects.create(
        host="github.com", kind=ForgeKind.GITHUB, api_url="https://api.github.com"
    )
    other = Forge.objects.create(
        host="gitlab.com", kind=ForgeKind.GITLAB, api_url="https://gitlab.com"
    )
    Account.objects.create(forge=forge, login="etalab", kind=AccountKind.ORG)
    Account.objects.create(
        forge=forge, login="proposed", kind=AccountKind.ORG, state=AccountState.PROPOSED
    )
    Account.objects.create(
        forge=forge, login="refused", kind=AccountKind.ORG, state=AccountState.REJECTED
    )
    Account.objects.create(
        forge=other, login="only-proposed", kind=AccountKind.GROUP, state=AccountState.PROPOSED
    )

    text = accounts_export()

    assert "    etalab: null\n" in text
    assert "proposed" not in text and "refused" not in text
    assert "gitlab.com" not in text  # without owners it would read back as a whole instance


def test_csv_export_imports_back_into_the_same_accounts():
    accounts_import(source=CURRENT)
    _, accounts_before = registry()

    text = accounts_export(fmt=FORMAT_CSV)
    wipe()
    report = accounts_import(source=text)

    assert (
        text.splitlines()[0]
        == "forge_host,forge_kind,login,kind,pso_id,organisation_name,floss_policy,ospo_url,ignored_since"
    )
    assert report.rejected == []
    assert registry()[1] == accounts_before
