"""The dependency API answers "which public repositories use package X (version range Y)"."""

from __future__ import annotations

import pytest
import yaml

from inventory.forges.models import Repository
from tests.conftest import english


def get(client, url, **params):
    response = client.get(url, params, HTTP_ACCEPT="application/json")
    return response, response.json()


def names(payload) -> list[str]:
    return [item["repository"] for item in payload["results"]]


def test_packages_are_listed_most_used_first_with_repository_and_organisation_counts(
    client, crawled
):
    response, payload = get(client, "/api/v1/packages/")
    assert response.status_code == 200
    first = payload["results"][0]
    assert (first["ecosystem"], first["name"]) == ("npm", "react")
    assert (first["repositories_count"], first["organisations_count"]) == (4, 2)
    assert first["dependents_url"] == "/api/v1/packages/npm/react/dependents/"
    _, pypi = get(client, "/api/v1/packages/", ecosystem="pypi")
    assert {p["name"] for p in pypi["results"]} == {"django", "requests", "pytest"}
    _, runtime = get(client, "/api/v1/packages/", ecosystem="pypi", scope="runtime")
    assert {p["name"] for p in runtime["results"]} == {"django", "requests"}


@pytest.mark.parametrize(
    ("version", "expected"),
    [
        ("", ["betagouv/site", "dgfip/portail", "etalab/front", "etalab/old-front"]),
        (">=18,<19", ["dgfip/portail", "etalab/front"]),
        ("^18.2", ["dgfip/portail", "etalab/front"]),
        ("<17", ["etalab/old-front"]),
        ("17", ["betagouv/site"]),
        ("18.3.1", ["dgfip/portail"]),
        ("==18.2.0", ["etalab/front"]),
        ("~> 16.8", ["etalab/old-front"]),
    ],
)
def test_dependents_of_a_package_by_version_range(client, crawled, version, expected):
    response, payload = get(client, "/api/v1/packages/npm/react/dependents/", version=version)
    assert response.status_code == 200, payload
    assert names(payload) == expected


def test_dependents_carry_constraint_resolved_version_and_organisation(client, crawled):
    _, payload = get(client, "/api/v1/packages/npm/React/dependents/", organisation="dgfip")
    (item,) = payload["results"]
    assert item["requirement"] == ">=18.0.0 <19" and item["resolved_version"] == "18.3.1"
    assert (item["organisation"], item["forge"], item["manifest"]) == (
        "dgfip",
        "gitlab.com",
        "package.json",
    )
    assert item["html_url"].endswith("/dgfip/portail")
    _, by_ministry = get(
        client, "/api/v1/packages/npm/react/dependents/", ministry="premier-ministre"
    )
    assert names(by_ministry) == ["betagouv/site", "etalab/front", "etalab/old-front"]


def test_names_with_slashes_and_colons_are_found(client, crawled):
    response, payload = get(
        client,
        "/api/v1/packages/maven/org.apache.logging.log4j:log4j-core/dependents/",
        version="<2.15",
    )
    assert response.status_code == 200
    assert names(payload) == ["dgfip/impots"]


def test_bad_range_is_a_400_that_names_the_parameter_and_unknown_package_a_404(client, crawled):
    english(client)
    response, payload = get(client, "/api/v1/packages/npm/react/dependents/", version=">=banana")
    assert response.status_code == 400
    assert "version range" in payload["detail"] and payload["field"] == "version"
    response, _ = get(client, "/api/v1/packages/npm/no-such-package/dependents/")
    assert response.status_code == 404
    response, payload = get(client, "/api/v1/packages/cobol/x/dependents/")
    assert response.status_code == 404 and "Unknown ecosystem" in payload["detail"]
    assert get(client, "/api/v1/packages/npm/re%00act/dependents/")[0].status_code == 404
    assert (
        get(client, "/api/v1/packages/npm/react/dependents/", version="1\x00")[0].status_code == 400
    )
    response, payload = get(client, "/api/v1/packages/", ecosystem="cobol")
    assert response.status_code == 400 and "ecosystem" in payload


def test_gone_repositories_are_not_dependents(client, crawled):
    Repository.objects.filter(full_name="etalab/front").update(gone_at="2026-01-01T00:00:00Z")
    _, payload = get(client, "/api/v1/packages/npm/react/dependents/")
    assert "etalab/front" not in names(payload)


def test_a_repository_lists_its_dependencies(client, crawled):
    repository = Repository.objects.get(full_name="etalab/api")
    response, payload = get(client, f"/api/v1/repositories/{repository.pk}/dependencies/")
    assert response.status_code == 200
    assert [(d["ecosystem"], d["name"], d["scope"]) for d in payload["results"]] == [
        ("pypi", "django", "runtime"),
        ("pypi", "requests", "runtime"),
        ("pypi", "pytest", "development"),
    ]
    assert get(client, "/api/v1/repositories/999999/dependencies/")[0].status_code == 404
    assert get(client, "/api/v1/repositories/abc/dependencies/")[0].status_code == 400


def test_the_endpoints_are_in_the_openapi_schema(client, db):
    schema = yaml.safe_load(client.get("/api/schema/").content)
    assert "/api/v1/packages/" in schema["paths"]
    assert "/api/v1/packages/{ecosystem}/{name}/dependents/" in schema["paths"]
    assert "/api/v1/repositories/{id}/dependencies/" in schema["paths"]


def test_dependents_are_listed_without_a_query_per_row(
    client, crawled, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8):
        response, payload = get(client, "/api/v1/packages/npm/react/dependents/", page_size=500)
    assert response.status_code == 200 and payload["count"] == 4
