"""Curators find dependency data in the admin, read-only."""

from __future__ import annotations


def test_curators_search_and_filter_dependency_data(curator_client, crawled):
    for url in (
        "/admin/dependencies/package/?q=react",
        "/admin/dependencies/dependency/?scope=development",
        "/admin/dependencies/manifest/?status=malformed",
    ):
        response = curator_client.get(url)
        assert response.status_code == 200, url
    assert (
        b"etalab/broken"
        in curator_client.get("/admin/dependencies/manifest/?status=malformed").content
    )
    assert curator_client.get("/admin/dependencies/package/add/").status_code == 403
