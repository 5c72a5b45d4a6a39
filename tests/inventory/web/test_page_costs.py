"""What a page costs does not grow with the inventory: the same number of queries with a few
repositories and organisations as with many more, shared parts read once per content change,
and django-dsfr's site configuration never read by pages that do not show it."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.template import engines
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from dsfr.models import DsfrConfig

from inventory.core.content import content_changed
from inventory.forges.models import Account, Repository
from inventory.organisations.models import Organisation
from inventory.web.context_processors import site_config
from tests.conftest import inventory_refresh
from tests.inventory.web.test_inventory_pages import inventory_create, repository_create

pytestmark = pytest.mark.django_db

PAGES = [
    "/code/",
    "/code/?sort=stars",
    "/code/?sort=activity",
    "/code/?q=project",
    "/code/?language=Python&forks=1&archived=1",
    "/code/?organisation=dinum",
    "/code/?ministry=premier-ministre&page=2",
    "/code/organisations/",
    "/code/organisations/?page=2&unattached=2",
    "/statistiques/",
]


def queries_of(client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(captured)


def grow_inventory(inventory, *, organisations: int, repositories: int, prefix: str = "") -> None:
    """Many more organisations (each with an account of ``repositories``), more accounts
    attached to none, all under the ministry the pages filter on."""
    github = inventory.github
    ministry = Organisation.objects.get(slug="premier-ministre")
    for number in range(organisations):
        owner = Organisation.objects.create(
            name=f"Organisation {prefix}{number:03}",
            slug=f"organisation-{prefix}{number:03}",
            ministry=ministry,
        )
        for attached in (owner, None):
            account = Account.objects.create(
                forge=github, login=f"{'org' if attached else 'loose'}-{prefix}{number:03}",
                kind="org", organisation=attached,
            )  # fmt: skip
            Repository.objects.bulk_create(
                Repository(
                    forge=github, remote_id=f"{account.login}/{index}", account=account,
                    owner=account.login, name=f"project-{index}",
                    full_name=f"{account.login}/project-{index}",
                    html_url=f"https://github.com/{account.login}/project-{index}",
                    description=f"The project {index}", language="Python",
                    topics=["open-data"], first_seen_at=inventory.now, last_seen_at=inventory.now,
                )
                for index in range(repositories)
            )  # fmt: skip
    inventory_refresh()


def test_page_queries_do_not_grow_with_repositories_organisations_or_accounts(client):
    inventory = inventory_create()
    inventory.now = Repository.objects.first().first_seen_at
    grow_inventory(inventory, organisations=3, repositories=2)
    before = {path: queries_of(client, path) for path in PAGES}

    grow_inventory(inventory, organisations=60, repositories=25, prefix="more-")  # past a page
    after = {path: queries_of(client, path) for path in PAGES}

    assert Repository.objects.count() > 3000
    assert after == before


def test_organisations_page_lists_a_page_of_organisations_and_of_unattached_accounts(client):
    inventory = inventory_create()
    inventory.now = Repository.objects.first().first_seen_at
    grow_inventory(inventory, organisations=60, repositories=1)

    first = client.get("/code/organisations/").content.decode()
    second = client.get("/code/organisations/?page=2&unattached=2").content.decode()

    # The Interior, the DINUM, then 48 of the 60 under the Prime Minister: 50 organisations.
    assert first.count('#accounts-title"') == 50
    assert 'href="/organisations/organisation-047/"' in first
    assert 'href="/organisations/organisation-048/"' not in first
    assert 'href="/organisations/organisation-048/"' in second
    assert 'href="?page=2"' in first
    loose_first = first[first.index('id="unattached"') :]
    loose_second = second[second.index('id="unattached"') :]
    assert "loose-000" in loose_first
    assert 'href="?unattached=2#unattached"' in loose_first
    assert "loose-000" not in loose_second
    assert "loose-059" in loose_second


def test_pages_never_read_the_dsfr_site_configuration(client):
    inventory_create()
    DsfrConfig.objects.create(language="fr", site_title="Logithèque")
    for path in ["/", "/code/", "/code/organisations/", "/statistiques/", "/logiciels/"]:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path).status_code == 200
        assert not [q for q in captured if "dsfr_dsfrconfig" in q["sql"]], path


def test_site_configuration_is_read_when_a_template_shows_it():
    DsfrConfig.objects.create(language="fr", site_title="Logithèque en français")
    DsfrConfig.objects.create(language="en", site_title="Logithèque in English")
    template = engines["django"].from_string("{{ SITE_CONFIG.site_title }}")
    request = RequestFactory().get("/")

    with CaptureQueriesContext(connection) as captured:
        context = site_config(request)
    assert len(captured) == 0
    assert template.render(context) == "Logithèque in English"  # the tests' language


def test_filter_menus_and_statistics_are_computed_once_per_content_change(client, settings):
    settings.SHARED_CACHE_SECONDS = 300
    cache.clear()
    inventory = inventory_create()
    first = queries_of(client, "/code/")
    again = queries_of(client, "/code/")
    statistics_first = queries_of(client, "/statistiques/")
    statistics_again = queries_of(client, "/statistiques/")

    assert again < first
    assert statistics_again < statistics_first
    assert 'value="Rust"' not in client.get("/code/").content.decode()

    repository_create(inventory.etalab, "ferris", language="Rust")  # a crawl's counts refresh
    assert 'value="Rust"' in client.get("/code/").content.decode()

    Organisation.objects.create(name="Nouvelle direction", slug="nouvelle", is_top=True)
    Account.objects.create(
        forge=inventory.github, login="nouvelle", kind="org",
        organisation=Organisation.objects.get(slug="nouvelle"), repositories_count=1,
    )  # fmt: skip
    content_changed()  # as the services that register accounts record it
    assert 'value="nouvelle"' in client.get("/code/").content.decode()


def test_shared_lists_are_made_once_per_content_change(client, settings):
    """The organisations page, the catalog's filter menus and the home page's lists are the
    same for every visitor: read once per content change, then seen at the next change."""
    settings.SHARED_CACHE_SECONDS = 300
    cache.clear()
    inventory = inventory_create()
    for path in [
        "/code/organisations/",
        "/code/organisations/?page=9&unattached=x",
        "/logiciels/",
        "/",
    ]:
        first, again = queries_of(client, path), queries_of(client, path)
        assert again < first, path

    page = client.get("/code/organisations/").content.decode()
    assert "Nouvelle direction" not in page
    Organisation.objects.create(name="Nouvelle direction", slug="nouvelle", is_top=True)
    Account.objects.create(
        forge=inventory.github, login="nouvelle", kind="org",
        organisation=Organisation.objects.get(slug="nouvelle"), repositories_count=1,
    )  # fmt: skip
    assert "Nouvelle direction" not in client.get("/code/organisations/").content.decode()
    content_changed()  # as the services that register accounts record it
    assert "Nouvelle direction" in client.get("/code/organisations/").content.decode()


def test_a_kept_organisations_page_links_with_only_its_own_parameters(client, settings):
    """What one visitor put in the query string never reaches the part kept for others (the
    header's sign-in link keeps the visitor's own address, as on every page)."""
    settings.SHARED_CACHE_SECONDS = 300
    cache.clear()
    inventory = inventory_create()
    inventory.now = Repository.objects.first().first_seen_at
    grow_inventory(inventory, organisations=60, repositories=1)

    def main(path: str) -> str:
        page = client.get(path).content.decode()
        return page[page.index("<main") : page.index("</main>")]

    hostile = main("/code/organisations/?page=1&evil=%22%3E%3Cscript%3E")
    plain = main("/code/organisations/?page=1")
    assert "evil" not in hostile and "evil" not in plain
    assert 'href="?page=2"' in plain
    # An out-of-range number is the last page, kept once for both spellings.
    assert main("/code/organisations/?page=999") == main("/code/organisations/?page=2")
