"""Item 3: only http(s) URLs are taken in (crawl, imports, forms, API) and linked (pages)."""

import json

import pytest
from rest_framework.test import APIClient

from crawlers.fakeforge.hostile import BAD_URLS
from inventory.catalog.importers import sill_import_file
from inventory.catalog.models import Instance, Software
from inventory.forges.models import Account, Repository
from inventory.forges.services.accounts_writers import accounts_import
from inventory.organisations.models import Organisation
from tests.inventory.catalog import factories
from tests.security.conftest import FOREIGN_SCHEME_LINK

pytestmark = pytest.mark.django_db

JS = "javascript:alert(document.domain)"


def test_crawled_javascript_and_data_urls_are_not_stored(hostile_crawl):
    for account in Account.objects.all():
        for url in (account.html_url, account.website, account.avatar_url):
            assert url == "" or url.startswith(("http://", "https://")), url
    for repository in Repository.objects.all():
        for url in (repository.html_url, repository.homepage, repository.clone_url):
            assert url == "" or url.startswith(("http://", "https://")), url
    hostile = Account.objects.get(login="hostile")
    assert hostile.website == ""


def test_account_and_repository_pages_of_a_hostile_forge_link_nothing_but_the_web(
    client, hostile_crawl
):
    pages = ["/code/", "/organisations/ville-hostile/"]
    pages += [f"/code/comptes/{account.pk}/" for account in hostile_crawl]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        html = response.content.decode()
        assert not FOREIGN_SCHEME_LINK.search(html), (page, FOREIGN_SCHEME_LINK.search(html))
        assert not any(url in html for url in BAD_URLS)


def test_urls_already_stored_are_not_linked_when_not_http(client):
    """Rows written before this rule (or by hand) are still shown without a link."""
    organisation = factories.organisation_create(
        name="Ancienne", slug="ancienne", website=JS, floss_policy="ftp://ftp.example.fr/p.pdf"
    )
    software = factories.software_create(
        name="Ancien", slug="ancien", homepage_url=JS, documentation_url="data:text/html,x"
    )
    factories.instance_create(software=software, organisation=organisation, public_url=JS)
    for page in ("/organisations/ancienne/", "/logiciels/ancien/"):
        html = client.get(page).content.decode()
        assert not FOREIGN_SCHEME_LINK.search(html), page


def test_forms_refuse_non_web_addresses(client):
    agent = factories.agent_create(email="alice@numerique.gouv.fr")
    client.force_login(agent)
    for url in (JS, "data:text/html,x", "ftp://ftp.example.fr/"):
        response = client.post(
            "/logiciels/proposer/",
            {"name": "Outil", "function": "Outil", "license": "MIT", "homepage_url": url},
        )
        assert response.status_code == 200
        assert 'id="id_homepage_url-desc-error"' in response.content.decode()
    assert not Software.objects.exists()


def test_the_api_refuses_non_web_addresses_naming_the_field(db):
    agent = factories.agent_create(email="alice@numerique.gouv.fr")
    factories.software_create(name="Outil", slug="outil")
    api = APIClient()
    api.force_authenticate(agent)
    for url in (JS, "data:text/html,x", "ftp://ftp.example.fr/", "https://user:pw@evil.example/"):
        response = api.post(
            "/api/v1/instances/", {"software": "outil", "public_url": url}, format="json"
        )
        assert response.status_code == 400 and "public_url" in response.json(), url
        response = api.post("/api/v1/software/outil/user/", {"service_url": url}, format="json")
        assert response.status_code == 400 and "service_url" in response.json(), url
    assert not Instance.objects.exists()


def test_imports_refuse_non_web_addresses(tmp_path):
    registry = tmp_path / "comptes.yml"
    registry.write_text(
        f"gitlab.ville.fr:\n  forge: gitlab\n  floss_policy: '{JS}'\n"
        "gitlab.autre.fr:\n  forge: gitlab\n  ospo_url: https://ospo.autre.fr\n"
    )
    report = accounts_import(source=registry)
    assert [problem.location.split(" ")[0] for problem in report.rejected] == ["comptes.yml:1"]
    assert "http(s)" in report.rejected[0].reason
    sill = tmp_path / "sill.json"
    records = [
        {"id": "1", "i": "Piégé", "st": "O", "l": "MIT", "website": "ftp://ftp.example.fr/"},
        {"id": "3", "i": "Script", "st": "O", "l": "MIT", "doc": JS},
        {"id": "2", "i": "Sain", "st": "O", "l": "MIT", "website": "https://sain.example.fr"},
    ]
    sill.write_text(json.dumps(records))
    result = sill_import_file(sill)
    assert [reject.location for reject in result.rejects] == [
        "sill.json: entry 1 (id 1)",
        "sill.json: entry 2 (id 3)",
    ]
    assert list(Software.objects.values_list("name", flat=True)) == ["Sain"]
    assert not Organisation.objects.filter(website=JS).exists()
