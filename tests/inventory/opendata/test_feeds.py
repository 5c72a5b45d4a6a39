"""Atom feeds of new repositories and of catalog changes."""

import xml.etree.ElementTree as ET

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def entries(url):
    response = Client().get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)  # noqa: S314 (our own feed, in a test)
    return [entry.find(f"{ATOM}title").text for entry in feed.iter(f"{ATOM}entry")]


def test_repositories_feed_lists_present_repositories_newest_first(world):
    assert entries("/data/feeds/repositories.atom") == [
        "gitlab.example.fr/dsic/portail",
        "github.com/orphan-org/tool",
        "github.com/etalab/old-fork",
        "github.com/etalab/udata",
    ]


def test_catalog_feed_lists_additions_and_ends_of_recommendation(world):
    titles = entries("/data/feeds/catalog.atom")
    assert titles[0] == "Added to the catalog: Ancien logiciel"  # created now, no referenced_since
    assert "End of recommendation: Ancien logiciel" in titles
    assert "Added to the catalog: LibreOffice" in titles
    assert not any("Proposé" in title for title in titles)
