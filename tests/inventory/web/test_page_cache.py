"""Anonymous HTML pages: ETag and Last-Modified from the last content change, 304s, a short
cache, and never one visitor's page (name, CSRF token, messages) served to another."""

from __future__ import annotations

import re

import pytest
from django.contrib.messages import constants as message_levels
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext

from inventory.catalog.services.comments import comment_create
from inventory.core.content import content_changed
from tests.conftest import english
from tests.inventory.catalog import factories

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]{64})"')


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 30
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def software(db):
    return factories.software_create(name="LibreOffice", slug="libreoffice")


def test_anonymous_page_has_validators_and_answers_304_when_unchanged(client, software):
    content_changed()
    first = client.get("/logiciels/")
    assert first.status_code == 200
    assert first["ETag"].startswith('W/"')
    assert first["Cache-Control"] == "private, no-cache"
    again = client.get("/logiciels/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again.content == b""
    since = client.get("/logiciels/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304


def test_a_catalog_change_through_the_services_is_seen_at_once(client, software, agent):
    first = client.get(f"/logiciels/{software.slug}/")
    assert "Un avis tout neuf" not in first.content.decode()
    comment_create(author=agent, software=software, body="Un avis tout neuf")
    after = client.get(f"/logiciels/{software.slug}/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert after.status_code == 200
    assert "Un avis tout neuf" in after.content.decode()
    assert after["ETag"] != first["ETag"]


def test_a_stored_page_is_served_again_without_rendering(
    client, software, django_assert_num_queries
):
    client.get("/logiciels/")
    with django_assert_num_queries(1):  # when the content last changed; the page is stored
        assert client.get("/logiciels/").status_code == 200


def test_each_anonymous_visitor_gets_their_own_csrf_token_from_a_stored_page(software):
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first_page = first.get("/logiciels/").content.decode()
    second_page = second.get("/logiciels/").content.decode()
    assert first_page.replace(TOKEN.search(first_page).group(1), "") == second_page.replace(
        TOKEN.search(second_page).group(1), ""
    )  # the same stored page...
    assert TOKEN.search(first_page).group(1) != TOKEN.search(second_page).group(1)
    assert first.cookies["csrftoken"].value != second.cookies["csrftoken"].value
    # ...whose language switch works for the second visitor with the token they were given.
    switched = second.post(
        "/i18n/setlang/",
        {
            "language": "en",
            "next": "/logiciels/",
            "csrfmiddlewaretoken": TOKEN.search(second_page).group(1),
        },
    )
    assert switched.status_code == 302
    # The first visitor's token is no use to the second: it was never in their page.
    refused = second.post(
        "/i18n/setlang/",
        {"language": "en", "csrfmiddlewaretoken": "x" * 64},
    )
    assert refused.status_code == 403


def test_an_agents_page_is_never_stored_nor_served_to_anyone_else(agent_client, agent, software):
    agent_page = agent_client.get("/logiciels/")
    assert "ETag" not in agent_page
    anonymous = Client().get("/logiciels/").content.decode()
    assert 'action="/agents/logout/"' not in anonymous
    assert 'action="/agents/logout/"' in agent_page.content.decode()
    # Stored for the anonymous visitor now: the agent still gets their own page.
    again = agent_client.get("/logiciels/").content.decode()
    assert 'action="/agents/logout/"' in again


def test_a_page_showing_a_visitors_messages_is_not_stored(software):
    carrier = HttpResponse()
    storage = CookieStorage(RequestFactory().get("/"))
    storage.add(message_levels.SUCCESS, "Only for this visitor")
    storage.update(carrier)
    visitor = Client()
    visitor.cookies["messages"] = carrier.cookies["messages"].value
    page = visitor.get("/logiciels/")
    assert "Only for this visitor" in page.content.decode()
    assert "ETag" not in page
    assert "Only for this visitor" not in Client().get("/logiciels/").content.decode()


def test_languages_are_stored_apart(software):
    french = Client().get("/logiciels/").content.decode()
    english_page = english(Client()).get("/logiciels/").content.decode()
    assert 'lang="fr"' in french
    assert 'lang="en"' in english_page


def test_security_headers_are_on_stored_pages_too(client, software):
    rendered = client.get("/logiciels/")
    stored = Client().get("/logiciels/")
    for header in ("X-Frame-Options", "X-Content-Type-Options", "Referrer-Policy"):
        assert stored[header] == rendered[header]


def test_the_cache_can_be_turned_off_and_validators_stay(client, software, settings):
    settings.PAGE_CACHE_SECONDS = 0
    first = client.get("/logiciels/")
    with CaptureQueriesContext(connection) as queries:
        client.get("/logiciels/")
    assert len(queries) > 1  # rendered again
    assert client.get("/logiciels/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
