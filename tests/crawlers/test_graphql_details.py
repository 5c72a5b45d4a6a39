"""GraphQL details on GitHub and GitLab: same records as REST, fewer requests, REST fallback."""

from __future__ import annotations

import pytest

from crawlers.fakeforge import FakeForge
from crawlers.records import AccountRef
from tests.crawlers.conftest import GITEA, GITHUB, GITLAB, build_seed, known_from

MANIFEST_FILES = {
    "package.json": '{"name": "app", "dependencies": {"react": "^18.2.0"}}',
    "package-lock.json": '{"lockfileVersion": 3, "packages": {"node_modules/react": {"version": "18.2.0"}}}',
    "requirements-docs.txt": "pytest==8.0.0\n",
    "Api.csproj": '<Project><ItemGroup><PackageReference Include="Serilog" Version="3.1.1"/></ItemGroup></Project>',
}
ACCOUNTS = {
    GITHUB: AccountRef(api_url="", kind="org", login="etalab"),
    GITLAB: AccountRef(api_url="", kind="group", login="incubateur"),
    GITEA: AccountRef(api_url="", kind="org", login="dinum"),
}


@pytest.fixture
def forge():
    seed = build_seed()
    for repo in seed["repositories"]:
        if repo["id"] in (5, 6):
            repo["root_files"] = ["README.md", *MANIFEST_FILES]
            repo["files"] = dict(MANIFEST_FILES)
    with FakeForge(seed) as ff:
        yield ff


def crawl(forge, make_client, host, *, known=None, **options):
    forge.reset_log()
    client = make_client(host, token="t0ken", **options)
    account = ACCOUNTS[host]
    account = AccountRef(api_url=forge.api_url(host), kind=account.kind, login=account.login)
    return client.crawl_account(account, known=known or {}), list(forge.requests)


def rest_only(log):
    return [(e.method, e.path, tuple(sorted(e.query.items()))) for e in log if e.method == "GET"]


@pytest.mark.parametrize("host", [GITHUB, GITLAB])
def test_graphql_details_equal_rest_details_in_far_fewer_requests(forge, make_client, host):
    rest, rest_log = crawl(forge, make_client, host, manifests=True)
    graphql, graphql_log = crawl(forge, make_client, host, manifests=True, graphql=True)
    assert [r.forge_id for r in graphql.repositories] == [r.forge_id for r in rest.repositories]
    for by_rest, by_graphql in zip(rest.repositories, graphql.repositories, strict=True):
        if host == GITHUB:  # GraphQL also gives GitHub's language breakdown; REST does not
            assert by_rest.details.languages is None and by_graphql.details.languages
            by_graphql = by_graphql.__class__(
                **{**_fields(by_graphql), "details": _without_languages(by_graphql.details)}
            )
        assert by_graphql == by_rest
    with_deps = [r for r in graphql.repositories if r.details.dependencies]
    assert {r.forge_id for r in with_deps} == {"5", "6"}
    names = {(d.ecosystem, d.name, d.resolved_version) for d in with_deps[0].details.dependencies}
    assert names == {
        ("npm", "react", "18.2.0"),
        ("pypi", "pytest", "8.0.0"),
        ("nuget", "serilog", ""),
    }
    posts = [e for e in graphql_log if e.method == "POST"]
    assert [e.path for e in posts] == ["/api/graphql"] * 3  # 2 batches of ≤ 100, 1 for more files
    assert graphql.stats.graphql_queries == 3
    if host == GITHUB:
        # The organisation, 2 listing pages and 3 queries; REST adds a root listing per
        # repository and each file one by one (2 publiccode files, 2 × 4 manifests).
        assert len(graphql_log) == 1 + 2 + 3
        assert len(rest_log) == 1 + 2 + len(rest.repositories) + 2 + 8
        assert graphql.stats.graphql_cost == 3
    else:
        # The license is not in GitLab's GraphQL: one REST request per project remains.
        licenses = [e for e in graphql_log if e.query.get("license") == "true"]
        assert len(licenses) == len(graphql.repositories)
        assert len(graphql_log) == len(licenses) + 3 + 3  # group, 2 listing pages, 3 queries


def _fields(record):
    return {name: getattr(record, name) for name in record.__slots__}


def _without_languages(details):
    return details.__class__(**{**_fields(details), "languages": None})


def test_unchanged_recrawl_sends_no_graphql_query(forge, make_client):
    first, _ = crawl(forge, make_client, GITHUB, manifests=True, graphql=True)
    second, log = crawl(
        forge, make_client, GITHUB, known=known_from(first), manifests=True, graphql=True
    )
    assert all(r.details is None for r in second.repositories)
    assert [e for e in log if e.method == "POST"] == []


@pytest.mark.parametrize("host", [GITHUB, GITLAB])
def test_forge_without_graphql_is_crawled_exactly_as_over_rest(forge, make_client, host):
    _, rest_log = crawl(forge, make_client, host, manifests=True)
    forge.graphql.disabled.add(host)
    result, log = crawl(forge, make_client, host, manifests=True, graphql=True)
    refused = [e for e in log if e.method == "POST"]
    assert [(e.path, e.status) for e in refused] == [("/api/graphql", 404)]  # asked once only
    assert rest_only(log) == rest_only(rest_log)
    assert result.stats.requests == len(rest_log) + 1


def test_gitea_has_no_graphql_and_is_crawled_as_before(forge, make_client):
    _, rest_log = crawl(forge, make_client, GITEA, manifests=True)
    _, log = crawl(forge, make_client, GITEA, manifests=True, graphql=True)
    assert rest_only(log) == rest_only(rest_log) and len(log) == len(rest_log)


def test_github_without_token_never_asks_graphql(forge, make_client):
    forge.reset_log()
    client = make_client(GITHUB, graphql=True, manifests=True)
    client.crawl_account(
        AccountRef(api_url=forge.api_url(GITHUB), kind="org", login="etalab"), known={}
    )
    assert not [e for e in forge.requests if e.method == "POST"]


@pytest.mark.parametrize("host", [GITHUB, GITLAB])
def test_refused_repositories_of_a_partial_answer_are_fetched_over_rest(forge, make_client, host):
    forge.graphql.refused[host] = {5, 7}
    result, log = crawl(forge, make_client, host, manifests=True, graphql=True)
    by_id = {r.forge_id: r for r in result.repositories}
    assert {d.name for d in by_id["5"].details.dependencies} == {"react", "pytest", "serilog"}
    assert by_id["7"].details.root_files.readme
    gets = {e.path for e in log if e.method == "GET"}
    refused_paths = [p for p in gets if "projet-5" in p or "service-5" in p or "/projects/5/" in p]
    assert refused_paths  # its root and files came over REST
    assert not [p for p in gets if "projet-6" in p or "/projects/6/" in p]


def test_graphql_rate_limit_is_waited_out_like_rest(forge, make_client, sleeps):
    forge.graphql.points = 0
    forge.fault(GITHUB, "rate_limit", path_contains="graphql", times=1, seconds=30)
    forge.graphql.points = 5000
    result, log = crawl(forge, make_client, GITHUB, manifests=True, graphql=True)
    assert [e.status for e in log if e.method == "POST"][:2] == [403, 200]
    assert sleeps and 30 <= sleeps[0] <= 32
    assert result.stats.rate_limit_waits == 1


def test_exhausted_graphql_points_fall_back_to_rest(forge, make_client):
    forge.graphql.points = 0
    result, log = crawl(
        forge, make_client, GITHUB, manifests=True, graphql=True, max_rate_limit_wait=10
    )
    assert [e.status for e in log if e.method == "POST"] == [403]
    assert all(r.details is not None for r in result.repositories)
    assert {d.name for d in result.repositories[0].details.dependencies} <= {
        "react",
        "pytest",
        "serilog",
    }


def test_gitlab_complexity_over_the_limit_falls_back_to_rest(forge, make_client):
    forge.graphql.max_complexity = 5
    result, log = crawl(forge, make_client, GITLAB, manifests=True, graphql=True)
    assert [e.status for e in log if e.method == "POST"] == [200]  # an error, and no data
    by_id = {r.forge_id: r for r in result.repositories}
    assert {d.name for d in by_id["5"].details.dependencies} == {"react", "pytest", "serilog"}
    assert any(e.path.endswith("/languages") for e in log)
