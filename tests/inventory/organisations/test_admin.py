"""The curators' admin for organisations: search, filters, counts."""

import pytest
from django.urls import reverse

from inventory.forges.models import Account, AccountKind, AccountState, Forge, ForgeKind
from inventory.organisations.models import Organisation

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:organisations_organisation_changelist")


@pytest.fixture
def organisations():
    culture = Organisation.objects.create(
        name="Ministère de la Culture",
        slug="culture",
        is_top=True,
        pso_id="da1d6275-6710-485d-a249-282cac69dfe7",
    )
    culture.ministry = culture
    culture.save()
    museum = Organisation.objects.create(
        name="Musée Saint-Raymond", slug="musee", acronym="MSR", ministry=culture
    )
    Organisation.objects.create(name="Commune de Villejuif", slug="villejuif")
    github = Forge.objects.create(
        host="github.com", kind=ForgeKind.GITHUB, api_url="https://api.github.com"
    )
    Account.objects.create(forge=github, login="msr", kind=AccountKind.ORG, organisation=museum)
    Account.objects.create(
        forge=github,
        login="msr-idea",
        kind=AccountKind.ORG,
        organisation=museum,
        state=AccountState.PROPOSED,
    )
    return {"culture": culture, "museum": museum}


@pytest.mark.parametrize(
    ("query", "present", "absent"),
    [
        ("", "Commune de Villejuif", None),
        ("?q=MSR", "Musée Saint-Raymond", "Commune de Villejuif"),
        ("?q=da1d6275", "Ministère de la Culture", "Commune de Villejuif"),
        ("?is_top__exact=1", "Ministère de la Culture", "Commune de Villejuif"),
        ("?ministry=none", "Commune de Villejuif", "Musée Saint-Raymond"),
    ],
)
def test_changelist_search_and_filters(curator_client, organisations, query, present, absent):
    response = curator_client.get(CHANGELIST + query)

    assert response.status_code == 200
    assert present in response.text
    if absent:
        assert absent not in response.text


def test_ministry_filter_offers_top_organisations_and_filters_by_them(
    curator_client, organisations
):
    response = curator_client.get(CHANGELIST + f"?ministry={organisations['culture'].pk}")

    names = [organisation.name for organisation in response.context["cl"].result_list]
    assert names == ["Ministère de la Culture", "Musée Saint-Raymond"]


def test_changelist_counts_registered_accounts(curator_client, organisations):
    response = curator_client.get(CHANGELIST + "?q=MSR")

    [museum] = response.context["cl"].result_list
    assert museum.accounts_count == 1


def test_change_and_add_forms_load(curator_client, organisations):
    change = curator_client.get(
        reverse("admin:organisations_organisation_change", args=[organisations["culture"].pk])
    )
    add = curator_client.get(reverse("admin:organisations_organisation_add"))

    assert change.status_code == add.status_code == 200
    assert "https://lannuaire.service-public.fr/da1d6275-6710-485d-a249-282cac69dfe7" in change.text


def test_changelist_queries_do_not_grow_with_its_rows(
    curator_client, organisations, django_assert_max_num_queries
):
    for number in range(40):
        Organisation.objects.create(
            name=f"Org {number}", slug=f"org-{number}", ministry=organisations["culture"]
        )

    with django_assert_max_num_queries(10):
        response = curator_client.get(CHANGELIST)

    assert response.status_code == 200
