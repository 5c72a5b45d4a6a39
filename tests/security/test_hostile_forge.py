"""The hostile fake forge crawled through the real clients: every page, API answer, download
and feed built from what it served is checked (escaped markup, web links only, no formulas in
CSV, no bidirectional overrides or NUL, and no server error)."""

import csv
import io
import json
import re
import xml.etree.ElementTree as ET

import pytest

from crawlers.fakeforge.hostile import BAD_URLS, HUGE, MARKUP
from inventory.core.csv_writer import FORMULA_PREFIXES
from inventory.forges.models import Account, Repository
from inventory.opendata.services import current_dir, exports_generate
from tests.security.conftest import FOREIGN_SCHEME_LINK

pytestmark = pytest.mark.django_db

URL_FIELDS = {"html_url", "website", "avatar_url", "homepage", "clone_url", "id", "icon_url"}
INVISIBLE = re.compile("[\x00\u202a-\u202e\u2066-\u2069]")


def assert_safe_html(html: str, where: str) -> None:
    for markup in MARKUP:
        assert markup not in html, (where, markup)
    assert not FOREIGN_SCHEME_LINK.search(html), (where, FOREIGN_SCHEME_LINK.search(html))
    assert not INVISIBLE.search(html), where


def assert_web_urls(record: dict, where: str) -> None:
    for key, value in record.items():
        if key in URL_FIELDS and isinstance(value, str) and value:
            assert value.startswith(("http://", "https://")), (where, key, value)
        assert value not in BAD_URLS, (where, key)


def test_the_hostile_crawl_stores_text_without_overrides_nor_nul(hostile_crawl):
    assert Repository.objects.count() == 6
    for repository in Repository.objects.all():
        for text in (repository.name, repository.description, *repository.topics):
            assert not INVISIBLE.search(text), repository.remote_id
    assert Repository.objects.filter(description=HUGE).exists()  # long text is kept whole
    assert Account.objects.get(login="hostile").name == MARKUP[0]  # stored as typed, shown escaped


def test_every_page_shows_the_hostile_data_escaped_and_links_only_the_web(client, hostile_crawl):
    pages = ["/", "/code/", "/code/?q=script", "/code/?q=img", "/code/organisations/"]
    pages += ["/organisations/ville-hostile/", "/statistiques/", "/data/"]
    pages += [f"/code/comptes/{account.pk}/" for account in hostile_crawl]
    pages += [f"/code/?forge={host}" for host in ("github.com", "gitlab.hostile.fr")]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        assert_safe_html(response.content.decode(), page)
    listing = client.get("/code/").content.decode()
    assert "&lt;img src=x onerror=alert(document.cookie)&gt;" in listing


def test_every_api_answer_carries_the_text_as_data_and_web_urls_only(client, hostile_crawl):
    repositories = client.get("/api/v1/repositories/", {"page_size": 500}).json()["results"]
    assert len(repositories) == 6
    stored = dict(Repository.objects.values_list("remote_id", "description"))
    for repository in repositories:
        assert_web_urls(repository, repository["full_name"])
        assert repository["description"] == stored[repository["remote_id"]]
        detail = client.get(f"/api/v1/repositories/{repository['id']}/")
        assert detail.status_code == 200
        assert_web_urls(detail.json(), repository["full_name"])
    accounts = client.get("/api/v1/accounts/").json()["results"]
    for account in accounts:
        assert_web_urls(account, account["login"])
        assert client.get(f"/api/v1/accounts/{account['id']}/").status_code == 200
    assert client.get("/api/v1/repositories/", {"q": MARKUP[0]}).status_code == 200


def test_every_download_and_feed_is_readable_and_safe(client, hostile_crawl):
    exports_generate()
    folder = current_dir()
    for path in folder.glob("*.csv"):
        for row in csv.reader(io.StringIO(path.read_bytes().decode(), newline="")):
            assert not any(cell.startswith(FORMULA_PREFIXES) for cell in row), path.name
    for path in folder.glob("*.json"):
        document = json.loads(path.read_bytes())
        for record in document if isinstance(document, list) else []:
            if isinstance(record, dict):
                assert_web_urls(record, path.name)
    for path in folder.glob("*.ndjson"):
        for line in path.read_bytes().decode().splitlines():
            assert_web_urls(json.loads(line), path.name)
    for feed in ("/data/feeds/repositories.atom", "/data/feeds/catalog.atom"):
        response = client.get(feed)
        assert response.status_code == 200
        root = ET.fromstring(response.content)  # noqa: S314 (our own feed, in a test)
        for summary in root.iter("{http://www.w3.org/2005/Atom}summary"):
            assert summary.get("type") == "text"
        for link in root.iter("{http://www.w3.org/2005/Atom}link"):
            assert not link.get("href", "").lower().startswith(("javascript:", "data:"))
