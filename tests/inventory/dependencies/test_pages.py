"""/code/dependances/, a package's page and a repository's dependencies, without JavaScript."""

from __future__ import annotations

import re

from inventory.forges.models import Repository
from tests.conftest import english


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_most_used_packages_per_ecosystem_with_repository_and_organisation_counts(client, crawled):
    page = text(english(client).get("/code/dependances/"))
    assert (
        '<a href="/code/dependances/npm/react/">react</a></th><td>npm</td><td>4</td><td>2</td>'
        in page
    )
    assert "PyPI (3)" in page  # the ecosystem choice says how many packages it has
    pypi = text(client.get("/code/dependances/", {"ecosystem": "pypi"}))
    assert ">django</a>" in pypi and ">react</a>" not in pypi
    assert ">requests</a>" in text(client.get("/code/dependances/", {"q": "REQU"}))
    # Nonsense in the query string is ignored, never an error.
    assert client.get("/code/dependances/", {"ecosystem": "cobol", "page": "x"}).status_code == 200


def test_french_by_default(client, crawled):
    page = text(client.get("/code/dependances/"))
    assert "Ce dont dépend le code public" in page


def test_package_page_answers_which_repositories_use_a_version_range(client, crawled):
    english(client)
    page = text(client.get("/code/dependances/npm/react/", {"version": "^18.2"}))
    assert "2 repositories" in page
    assert "dgfip/portail" in page and "etalab/front" in page and "etalab/old-front" not in page
    assert "<code>^18.2.0</code></td> <td>18.2.0</td>" in page
    by_ministry = text(client.get("/code/dependances/npm/react/", {"ministry": "economie"}))
    assert "1 repository" in by_ministry and "dgfip/portail" in by_ministry
    log4j = text(
        client.get(
            "/code/dependances/maven/org.apache.logging.log4j:log4j-core/", {"version": "<2.15"}
        )
    )
    assert "dgfip/impots" in log4j


def test_unreadable_range_is_shown_on_the_form_not_a_server_error(client, crawled):
    response = english(client).get("/code/dependances/npm/react/", {"version": ">=banana"})
    assert response.status_code == 200
    assert "Cannot read the version range" in text(response)
    assert 'aria-describedby="version-error"' in text(response)


def test_unknown_package_or_ecosystem_is_a_404(client, crawled):
    assert client.get("/code/dependances/npm/no-such-thing/").status_code == 404
    assert client.get("/code/dependances/cobol/react/").status_code == 404


def test_repository_page_lists_dependencies_and_malformed_manifests(client, crawled):
    english(client)
    api = Repository.objects.get(full_name="etalab/api")
    page = text(client.get(f"/code/depots/{api.pk}/dependances/"))
    assert "3 dependencies" in page
    assert '<a href="/code/dependances/pypi/django/">django</a>' in page
    assert "<code>==4.2.7</code></td><td>4.2.7</td><td>runtime</td>" in page
    broken = Repository.objects.get(full_name="etalab/broken")
    page = text(client.get(f"/code/depots/{broken.pk}/dependances/"))
    assert "malformed" in page and "JSON" in page
    assert client.get("/code/depots/999999/dependances/").status_code == 404


def test_repository_cards_link_to_their_dependencies(client, crawled):
    front = Repository.objects.get(full_name="etalab/front")
    assert f"/code/depots/{front.pk}/dependances/" in text(client.get("/code/"))
