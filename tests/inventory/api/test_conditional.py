"""Conditional GET: ETag and Last-Modified on reads, 304 when the client's copy is current."""

import pytest

from inventory.forges.models import Repository

pytestmark = pytest.mark.django_db


def test_if_none_match_gives_304_until_the_data_changes(api, world):
    first = api.get("/api/v1/repositories/")
    etag = first["ETag"]
    assert etag.startswith('"')
    assert api.get("/api/v1/repositories/", HTTP_IF_NONE_MATCH=etag).status_code == 304
    Repository.objects.filter(pk=world.repositories[0].pk).update(stars=51)
    changed = api.get("/api/v1/repositories/", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag


def test_if_modified_since_gives_304_on_a_detail(api, world):
    url = f"/api/v1/repositories/{world.repositories[0].pk}/"
    last_modified = api.get(url)["Last-Modified"]
    assert last_modified == "Tue, 04 Feb 2025 00:00:00 GMT"  # its last_seen_at
    assert api.get(url, HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304
    assert api.get(url, HTTP_IF_MODIFIED_SINCE="Mon, 01 Jan 2024 00:00:00 GMT").status_code == 200


def test_different_filters_have_different_etags(api, world):
    python = api.get("/api/v1/repositories/?language=Python")["ETag"]
    go = api.get("/api/v1/repositories/?language=Go")["ETag"]
    assert python != go


def test_errors_carry_no_etag(api, world):
    assert "ETag" not in api.get("/api/v1/repositories/?ordering=nope")


def test_anonymous_reads_are_reused_for_the_cache_lifetime_and_agents_see_fresh_data(
    api, world, settings
):
    settings.API_CACHE_SECONDS = 30
    url = f"/api/v1/repositories/{world.repositories[0].pk}/"
    first = api.get(url)
    Repository.objects.filter(pk=world.repositories[0].pk).update(stars=99)
    again = api.get(url)
    assert again.content == first.content and again["ETag"] == first["ETag"]
    assert api.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert api.get(url + "?fresh=1").json()["stars"] == 99  # another URL, another entry
    api.force_authenticate(world.public_agent)
    assert api.get(url).json()["stars"] == 99
