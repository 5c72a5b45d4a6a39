"""Anonymous reads: each endpoint, each filter, stable cursor pagination, and the 400s."""

import pytest

from inventory.forges.models import Forge, Repository

pytestmark = pytest.mark.django_db


def names(response):
    return [item["full_name"] for item in response.json()["results"]]


def test_repositories_list_leaves_gone_ones_out_and_loads_relations_in_few_queries(
    api, world, django_assert_max_num_queries
):
    with django_assert_max_num_queries(3):
        response = api.get("/api/v1/repositories/")
    assert response.status_code == 200
    assert sorted(names(response)) == [
        "dsic/portail",
        "etalab/old-fork",
        "etalab/udata",
        "orphan-org/tool",
    ]


def test_repository_detail_gives_organisation_awesome_score_and_gone_repositories(api, world):
    udata = api.get(f"/api/v1/repositories/{world.repositories[0].pk}/").json()
    assert udata["organisation"] == {
        "slug": "dinum",
        "name": "Direction interministérielle du numérique",
    }
    # license 1000 + publiccode 1000 + README 100 + CONTRIBUTING 100 + forks>10 100 + subscribers>1 10
    assert udata["awesome_score"] == 2310
    assert udata["topics"] == ["open-data", "python"]
    portail = api.get(f"/api/v1/repositories/{world.repositories[3].pk}/").json()
    assert portail["organisation"]["slug"] == "interieur"  # the whole instance's organisation
    gone = api.get(f"/api/v1/repositories/{world.repositories[4].pk}/").json()
    assert gone["gone_at"] is not None


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("organisation=dinum", ["etalab/old-fork", "etalab/udata"]),
        ("organisation=interieur", ["dsic/portail"]),
        ("ministry=premier-ministre", ["etalab/old-fork", "etalab/udata"]),
        ("forge=gitlab.example.fr", ["dsic/portail"]),
        ("language=python", ["etalab/udata"]),
        ("license=mit", ["etalab/old-fork"]),
        ("topic=open-data", ["etalab/udata"]),
        ("archived=true", ["etalab/old-fork"]),
        ("fork=false", ["dsic/portail", "etalab/udata", "orphan-org/tool"]),
        ("gone=true", ["etalab/vanished"]),
        ("updated_since=2024-01-03T12:00:00Z", ["dsic/portail", "orphan-org/tool"]),
        # Offsets PostgreSQL refuses (found by schemathesis), and the year 1 before UTC.
        ("updated_since=2024-01-03T07:31:00-16:30", ["dsic/portail"]),
        (
            "updated_since=0001-01-01T00:00:00%2B10:00",
            ["dsic/portail", "etalab/old-fork", "etalab/udata", "orphan-org/tool"],
        ),
        ("q=portal", ["etalab/udata"]),
        ("q=outil", ["orphan-org/tool"]),
        ("q=udata", ["etalab/udata"]),
    ],
)
def test_repositories_filters(api, world, query, expected):
    response = api.get(f"/api/v1/repositories/?{query}")
    assert response.status_code == 200, response.content
    assert sorted(names(response)) == expected


@pytest.mark.parametrize("limit", [0, 1000])
def test_a_search_pages_the_same_whether_its_matches_are_few_or_many(
    api, world, monkeypatch, limit
):
    """Few matches are paged from their ids, many through the ordering's index: same pages."""
    monkeypatch.setattr("inventory.api.views.read.PINNED_SEARCH_LIMIT", limit)
    seen, url = [], "/api/v1/repositories/?q=etalab&page_size=1&ordering=-stars"
    while url:
        data = api.get(url).json()
        seen += [row["full_name"] for row in data["results"]]
        url = data["next"]
    assert seen == ["etalab/udata", "etalab/old-fork"]


def test_a_search_within_a_filter_nothing_matches_is_an_empty_page(api, client, world):
    """No account of an unknown organisation: the search's estimate has no query to look at."""
    response = api.get("/api/v1/repositories/?q=udata&organisation=nobody")
    assert response.status_code == 200, response.content
    assert response.json()["results"] == []
    assert client.get("/code/?q=udata&organisation=nobody").status_code == 200


def test_each_repository_names_its_own_forge_account_and_organisation(api, world):
    """Owners are read apart from the page's rows: each row gets its own, even a repository
    recorded on another forge than its account's."""
    Repository.objects.filter(full_name="orphan-org/tool").update(
        forge=Forge.objects.get(host="gitlab.example.fr")
    )
    rows = {row["full_name"]: row for row in api.get("/api/v1/repositories/").json()["results"]}
    assert rows["etalab/udata"]["forge"] == "github.com"
    assert rows["etalab/udata"]["account"]["login"] == "etalab"
    assert rows["etalab/udata"]["organisation"] == {
        "slug": "dinum", "name": "Direction interministérielle du numérique"
    }  # fmt: skip
    assert rows["orphan-org/tool"]["forge"] == "gitlab.example.fr"
    assert rows["orphan-org/tool"]["account"]["forge"] == "github.com"
    assert rows["orphan-org/tool"]["organisation"] is None


def test_cursor_pagination_walks_every_repository_once_in_each_ordering(api, world):
    for ordering in ("id", "-stars", "full_name", "-first_seen_at", "forks"):
        seen, url = [], f"/api/v1/repositories/?page_size=1&ordering={ordering}"
        while url:
            page = api.get(url).json()
            seen += [item["id"] for item in page["results"]]
            url = page["next"]
        assert len(seen) == len(set(seen)) == 4, ordering
    by_stars = api.get("/api/v1/repositories/?ordering=-stars").json()["results"]
    assert [item["stars"] for item in by_stars] == [50, 3, 1, 0]


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("ordering=password", "ordering"),
        ("ordering=-", "ordering"),
        ("updated_since=yesterday", "updated_since"),
        ("archived=maybe", "archived"),
        ("page_size=0", "page_size"),
        ("page_size=100000", "page_size"),
        ("page_size=ten", "page_size"),
        ("cursor=not-a-cursor", "cursor"),
        ("q=%00", "q"),
        ("language=" + "x" * 300, "language"),
    ],
)
def test_bad_repository_parameters_give_a_400_naming_the_parameter(api, world, query, parameter):
    response = api.get(f"/api/v1/repositories/?{query}")
    assert response.status_code == 400
    assert parameter in response.json()


def test_a_well_formed_cursor_that_names_no_position_is_a_404_naming_it(api, world):
    response = api.get("/api/v1/repositories/?cursor=cD1hYmM%3D&ordering=id")  # p=abc, not an id
    assert response.status_code == 404 and "cursor" in response.json()


def test_non_integer_ids_give_a_400_and_unknown_ids_a_404(api, world):
    assert api.get("/api/v1/repositories/abc/").status_code == 400
    assert "id" in api.get("/api/v1/crawl-runs/1e3/").json()
    assert api.get("/api/v1/repositories/999999/").status_code == 404
    assert api.get("/api/v1/accounts/999999/").json()["detail"] == "No account with this id."


def test_accounts_list_public_accounts_with_counts_even_without_organisation(api, world):
    results = api.get("/api/v1/accounts/").json()["results"]
    by_login = {item["login"]: item for item in results}
    assert set(by_login) == {"etalab", "orphan-org", ""}  # the proposal is not public
    assert by_login["etalab"]["repositories_count"] == 2
    assert by_login["orphan-org"]["organisation"] is None
    assert api.get("/api/v1/accounts/?kind=instance").json()["results"][0]["forge"]["host"] == (
        "gitlab.example.fr"
    )
    assert api.get("/api/v1/accounts/?kind=robot").status_code == 400
    detail = api.get(f"/api/v1/accounts/{world.etalab.pk}/").json()
    assert detail["public_email"] == "contact@etalab.example"


def test_organisations_list_and_detail(api, world):
    results = api.get("/api/v1/organisations/").json()["results"]
    assert [item["slug"] for item in results] == ["dinum", "interieur", "premier-ministre"]
    dinum = api.get("/api/v1/organisations/dinum/").json()
    assert dinum["ministry"]["slug"] == "premier-ministre"
    assert (dinum["accounts_count"], dinum["repositories_count"]) == (1, 2)
    assert api.get("/api/v1/organisations/?is_top=true").json()["count"] == 2
    assert api.get("/api/v1/organisations/nope/").status_code == 404
    assert api.get("/api/v1/organisations/?page=0").status_code == 400
    past_the_end = api.get("/api/v1/organisations/?page=99")
    assert past_the_end.status_code == 404 and "page" in past_the_end.json()


def test_crawl_runs_carry_per_account_results(api, world, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        response = api.get("/api/v1/crawl-runs/")
    run = response.json()["results"][0]
    assert run["status"] == "partial"
    assert [(r["account"]["login"], r["status"]) for r in run["results"]] == [
        ("etalab", "success"),
        ("orphan-org", "failed"),
    ]
    assert api.get(f"/api/v1/crawl-runs/{world.run.pk}/").json()["accounts_total"] == 2
    assert api.get("/api/v1/crawl-runs/?status=exploded").status_code == 400


def test_software_list_gives_counts_instances_status_and_no_identity(
    api, world, django_assert_max_num_queries
):
    with django_assert_max_num_queries(6):
        response = api.get("/api/v1/software/")
    results = {item["slug"]: item for item in response.json()["results"]}
    assert set(results) == {"libreoffice", "ancien"}  # proposals are not public
    office = results["libreoffice"]
    assert (office["referent_count"], office["user_count"], office["status"]) == (
        2,
        1,
        "recommended",
    )
    assert office["instances"][0]["public_url"] == "https://office.example.gouv.fr"
    assert office["categories"] == ["Bureautique"]
    assert "@" not in response.content.decode()
    assert api.get("/api/v1/software/?status=dereferenced").json()["count"] == 1
    assert api.get("/api/v1/software/?status=proposed").status_code == 400
    assert api.get("/api/v1/software/?q=bureautique").json()["results"][0]["slug"] == "libreoffice"
    # Found by schemathesis on PostgreSQL: an unaccented "´" broke the full-text query. A
    # query with no letter or digit (this one's ideograph is unassigned in Python's Unicode
    # tables) searches nothing and is refused, naming q.
    for q in ("%C2%B4%F0%B2%91%9D", "%27%22%26%7C%21"):
        response = api.get(f"/api/v1/software/?q={q}")
        assert (response.status_code, list(response.json())) == (400, ["q"])
    assert api.get("/api/v1/software/?q=%C2%B4%E6%BC%A2").json()["count"] == 0


def test_software_detail_shows_counts_by_organisation_and_only_public_contacts(api, world):
    detail = api.get("/api/v1/software/libreoffice/").json()
    assert [
        (o["organisation"]["slug"], o["referent_count"], o["user_count"])
        for o in detail["organisations"]
    ] == [
        ("dinum", 2, 0),
        ("interieur", 0, 1),
    ]
    assert [contact["email"] for contact in detail["public_contacts"]] == [
        "public.referent@dinum.gouv.fr"
    ]
    assert api.get("/api/v1/software/propose/").status_code == 404


def test_reads_are_open_to_any_origin(api, world):
    response = api.get("/api/v1/repositories/", HTTP_ORIGIN="https://reuser.example")
    assert response["Access-Control-Allow-Origin"] == "*"


def test_repository_rows_render_like_drf_fields_in_list_and_detail(api, world):
    from rest_framework.fields import DateTimeField

    listed = {item["id"]: item for item in api.get("/api/v1/repositories/").json()["results"]}
    for repository in world.repositories[:4]:
        detail = api.get(f"/api/v1/repositories/{repository.pk}/").json()
        assert listed[repository.pk] == detail
        assert detail["first_seen_at"] == DateTimeField().to_representation(
            repository.first_seen_at
        )
