"""accounts_import on code.gouv.fr's real registry files, in both of their formats."""

import datetime as dt

import pytest

from inventory.core.paths import shared_data_dir
from inventory.forges.models import Account, AccountKind, AccountState, Forge, ForgeKind
from inventory.forges.services.accounts_readers import FORMAT_CURRENT, FORMAT_URL_KEYED
from inventory.forges.services.accounts_writers import accounts_import
from inventory.forges.services.forges import platforms_load
from inventory.organisations.models import Organisation
from inventory.organisations.services import organisations_import_top

pytestmark = pytest.mark.django_db

DATA = shared_data_dir() / "codegouvfr"
CURRENT = DATA / "comptes-organismes-publics.yml"
URL_KEYED = DATA / "comptes-organismes-publics-2024-url-keyed.yml"
TOP = DATA / "top_organizations.yml"
EDUCATION = "3ed2f725-e077-4973-a531-498e13fc7861"
ARMED_FORCES = "d24d1af2-c506-4b10-82e8-ab92b8e959d2"
DINUM = "d1a97841-b4bf-46df-a089-1003e4e266b4"
PUBLIC_SERVICE = "9f101ac7-9a0e-4d62-8b27-8109876dff94"


def account(host: str, login: str = "") -> Account:
    return Account.objects.select_related("forge", "organisation").get(
        forge__host=host, login=login
    )


def test_current_file_gives_93_forges_and_one_account_per_owner_or_whole_instance():
    report = accounts_import(source=CURRENT)

    assert report.fmt == FORMAT_CURRENT
    assert report.rejected == []
    assert Forge.objects.count() == 93
    assert dict(
        (kind, Forge.objects.filter(kind=kind).count())
        for kind in (ForgeKind.GITLAB, ForgeKind.GITHUB, ForgeKind.GOGS)
    ) == {ForgeKind.GITLAB: 91, ForgeKind.GITHUB: 1, ForgeKind.GOGS: 1}
    assert Account.objects.exclude(kind=AccountKind.INSTANCE).count() == 300
    assert Account.objects.filter(forge__host="github.com").count() == 250
    assert Forge.objects.filter(whole_instance=True).count() == 87
    assert Account.objects.filter(kind=AccountKind.INSTANCE).count() == 87
    assert report.count("created", "forge") == 93
    assert report.count("created", "account") == 387


def test_forge_without_owners_is_crawled_whole_through_one_instance_account():
    accounts_import(source=CURRENT)

    inria = account("gitlab.inria.fr")
    assert inria.kind == AccountKind.INSTANCE
    assert inria.state == AccountState.ACTIVE
    assert inria.forge.whole_instance is True
    assert inria.forge.api_url == "https://gitlab.inria.fr"
    assert inria.organisation.pso_id == "1774a61b-42e1-4272-b6bb-7ba4cc44b8ac"
    assert inria.forge.organisation == inria.organisation


def test_forge_with_owners_lists_them_with_kind_by_forge_and_their_policies():
    accounts_import(source=CURRENT)

    grist = account("github.com", "gristgouv")
    assert grist.kind == AccountKind.ORG  # GitHub users and organisations look alike offline
    assert grist.forge.whole_instance is False
    assert grist.forge.api_url == "https://api.github.com"
    assert grist.ospo_url == "https://beta.gouv.fr/startups/grist.numerique.gouv.fr.html"
    assert grist.organisation.pso_id == "e5299ba4-7aa4-4f95-aa82-7e765d5648fe"
    healthdatahub = account("gitlab.com", "healthdatahub")
    assert healthdatahub.kind == AccountKind.GROUP
    assert healthdatahub.floss_policy == "https://www.health-data-hub.fr/open-source"
    assert not Account.objects.filter(forge__host="github.com", login="").exists()


def test_gogs_forge_gets_the_gitea_style_api_url():
    accounts_import(source=CURRENT)

    assert (
        Forge.objects.get(host="gogs.univ-littoral.fr").api_url
        == "https://gogs.univ-littoral.fr/api/v1"
    )


def test_ignored_since_keeps_the_forge_and_account_but_makes_the_account_inactive():
    accounts_import(source=CURRENT)

    assert Forge.objects.filter(ignored_since__isnull=False).count() == 17
    upsud = account("gitlab.u-psud.fr")
    assert upsud.forge.ignored_since == dt.date(2024, 8, 9)
    assert upsud.ignored_since == dt.date(2024, 8, 9)
    assert upsud.state == AccountState.INACTIVE
    assert Account.objects.filter(state=AccountState.INACTIVE).count() == 17


def test_owner_without_pso_id_belongs_to_the_forge_organisation():
    accounts_import(source=CURRENT)

    assert account("forge.apps.education.fr", "drane-lyon").organisation.pso_id == EDUCATION
    assert (
        account("gitlab.adullact.net", "socio-connect").organisation is None
    )  # nothing on forge or owner


def test_unknown_pso_id_links_no_organisation():
    accounts_import(source=CURRENT)

    assert account("gitlab.com", "dreal-datalab").organisation is None
    assert account("dev.ch-poitiers.fr").organisation is None
    assert not Organisation.objects.filter(pso_id="00000000-0000-0000-0000-000000000000").exists()


def test_organisation_known_only_by_pso_id_gets_a_placeholder_name():
    accounts_import(source=CURRENT)

    cerema = Organisation.objects.get(pso_id="6c330fd9-0406-4a5f-9e40-c801716a6a24")
    assert cerema.name == "Organisation 6c330fd9"
    assert cerema.slug == "organisation-6c330fd9"


def test_top_organisations_become_their_own_ministry_and_name_the_organisations_they_are():
    organisations_import_top(path=TOP)
    accounts_import(source=CURRENT)

    armed_forces = account("gitlab.com", "fabnum-minarm").organisation
    assert armed_forces.pso_id == ARMED_FORCES
    assert armed_forces.name == "Ministère des Armées"
    assert armed_forces.is_top and armed_forces.ministry == armed_forces
    assert Organisation.objects.filter(is_top=True).count() == 19


def test_second_import_of_the_same_file_changes_nothing():
    accounts_import(source=CURRENT)
    stamps = dict(Account.objects.values_list("pk", "updated_at"))

    report = accounts_import(source=CURRENT)

    assert report.count("created") == 0
    assert report.count("updated") == 0
    assert report.count("unchanged", "forge") == 93
    assert report.count("unchanged", "account") == 387
    assert dict(Account.objects.values_list("pk", "updated_at")) == stamps


def test_key_given_twice_in_an_entry_keeps_the_last_value_with_a_located_warning():
    report = accounts_import(source=CURRENT)

    assert account("gitlab.mim-libre.fr").organisation.pso_id == EDUCATION
    [warning] = report.warnings
    assert warning.location.startswith("comptes-organismes-publics.yml:")
    assert "gitlab.mim-libre.fr › pso_id" in warning.location
    assert "given twice" in warning.reason


def test_dry_run_reports_the_changes_and_stores_nothing():
    report = accounts_import(source=CURRENT, dry_run=True)

    assert report.dry_run
    assert report.count("created", "forge") == 93
    assert not Forge.objects.exists()
    assert not Account.objects.exists()
    assert not Organisation.objects.exists()


def test_url_keyed_2024_file_is_detected_and_imported():
    report = accounts_import(source=URL_KEYED, platforms=platforms_load(DATA / "platforms.csv"))

    assert report.fmt == FORMAT_URL_KEYED
    assert (
        Account.objects.exclude(kind=AccountKind.INSTANCE).filter(forge__host="github.com").count()
        == 253
    )
    etalab = account("github.com", "etalab")
    assert etalab.kind == AccountKind.ORG
    assert etalab.forge.api_url == "https://api.github.com"
    assert account("gogs.univ-littoral.fr").forge.kind == ForgeKind.GOGS
    assert account("gitlab.u-psud.fr").state == AccountState.INACTIVE
    # The owner of a forge also listed whole is covered by the whole-instance crawl.
    [covered] = report.rejected
    assert "gitlab.mim-libre.fr/parcoursup" in covered.location
    assert "crawled whole" in covered.reason


def test_url_keyed_service_of_names_the_organisation_and_later_pso_ids_give_its_ministry():
    organisations_import_top(path=TOP)
    accounts_import(source=URL_KEYED)

    poitiers = account("github.com", "lias-laboratory").organisation
    assert poitiers.name == "Université de Poitiers"
    dinum = account("github.com", "addok").organisation
    assert dinum.pso_id == DINUM
    assert dinum.name == "Direction interministérielle du numérique"
    assert dinum.ministry.pso_id == PUBLIC_SERVICE


def test_sourcehut_accounts_are_kept_inactive_with_a_note():
    accounts_import(source=URL_KEYED)

    sourcehut = account("sr.ht", "~codegouvfr")
    assert sourcehut.forge.kind == ForgeKind.SOURCEHUT
    assert sourcehut.kind == AccountKind.USER
    assert sourcehut.state == AccountState.INACTIVE
    assert "SourceHut" in sourcehut.proposal_note


def test_url_keyed_forge_of_unknown_kind_is_taken_as_gitlab_with_a_warning():
    report = accounts_import(source=URL_KEYED)  # no platforms table

    assert Forge.objects.get(host="gitlab.inria.fr").kind == ForgeKind.GITLAB
    assert any(
        "no forge kind known for gitlab.inria.fr" in warning.reason for warning in report.warnings
    )


def test_importing_both_formats_one_after_the_other_is_stable():
    platforms = platforms_load(DATA / "platforms.csv")
    accounts_import(source=URL_KEYED, platforms=platforms)
    accounts_import(source=CURRENT)

    report = accounts_import(source=CURRENT)

    assert report.count("created") == report.count("updated") == 0
    # forge.apps.education.fr is whole in 2024 and lists owners today: the instance crawl stops.
    assert account("forge.apps.education.fr").state == AccountState.INACTIVE
    assert account("forge.apps.education.fr", "iri").state == AccountState.ACTIVE


def test_import_stays_within_a_bounded_number_of_queries(django_assert_max_num_queries):
    organisations_import_top(path=TOP)

    with django_assert_max_num_queries(20):
        accounts_import(source=CURRENT)
    with django_assert_max_num_queries(20):
        accounts_import(source=CURRENT)


def test_later_import_keeps_a_kind_the_crawler_corrected_and_an_api_url_a_curator_changed():
    accounts_import(source=CURRENT)
    Account.objects.filter(forge__host="github.com", login="gristgouv").update(
        kind=AccountKind.USER
    )
    Forge.objects.filter(host="gitlab.inria.fr").update(api_url="https://gitlab.inria.fr/proxy")

    report = accounts_import(source=CURRENT)

    assert report.count("updated") == 0
    assert account("github.com", "gristgouv").kind == AccountKind.USER
    assert Forge.objects.get(host="gitlab.inria.fr").api_url == "https://gitlab.inria.fr/proxy"


def test_listed_proposal_becomes_active_and_a_changed_entry_is_updated(tmp_path):
    accounts_import(source=CURRENT)
    Account.objects.filter(forge__host="github.com", login="gristgouv").update(
        state=AccountState.PROPOSED
    )
    text = CURRENT.read_text(encoding="utf-8").replace(
        "gitlab.pasteur.fr:\n  forge: gitlab\n",
        "gitlab.pasteur.fr:\n  forge: gitlab\n  ignored_since: 2025-01-31\n",
    )
    path = tmp_path / "changed.yml"
    path.write_text(text, encoding="utf-8")

    report = accounts_import(source=path)

    assert sorted(report.updated) == [
        "account github.com/gristgouv",
        "account gitlab.pasteur.fr (whole instance)",
        "forge gitlab.pasteur.fr",
    ]
    assert account("github.com", "gristgouv").state == AccountState.ACTIVE
    pasteur = account("gitlab.pasteur.fr")
    assert (pasteur.state, pasteur.forge.ignored_since) == (
        AccountState.INACTIVE,
        dt.date(2025, 1, 31),
    )
