"""Latest releases through the inventory's GitHub, GitLab and Gitea clients, against the fake forge."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from crawlers.fakeforge import FakeForge
from crawlers.http import MemoryHttpCache
from crawlers.sources.base import SourceError
from crawlers.sources.fakes import FakeSources
from crawlers.sources.forge_releases import (
    ForgeReleases,
    latest_release,
    repository_path,
    version_number,
)
from crawlers.sources.records import Version

SEED = {
    "forges": {
        "github.com": {"kind": "github", "accounts": []},
        "gitlab.com": {"kind": "gitlab", "accounts": []},
        "git.example.fr": {"kind": "gitea", "accounts": []},
    },
    "repositories": [
        {
            "host": "github.com",
            "id": 1,
            "owner": "etalab",
            "name": "udata",
            "releases": [
                {
                    "tag_name": "v8.0.0rc1",
                    "published_at": "2024-05-01T09:00:00Z",
                    "prerelease": True,
                },
                {"tag_name": "v7.0.1", "name": "7.0.1", "published_at": "2024-04-02T09:00:00Z"},
                {"tag_name": "v7.0.0", "published_at": "2024-03-01T09:00:00Z"},
                {"tag_name": "v9.0.0", "published_at": "2024-06-01T09:00:00Z", "draft": True},
            ],
        },
        {
            "host": "github.com",
            "id": 2,
            "owner": "etalab",
            "name": "tags-only",
            "tags": ["v0.3", "v0.2"],
        },
        {"host": "github.com", "id": 3, "owner": "etalab", "name": "nothing"},
        {
            "host": "gitlab.com",
            "id": 4,
            "owner": "incubateur/sub",
            "name": "app",
            "releases": [{"tag_name": "2.1.0", "published_at": "2023-01-02T00:00:00Z"}],
        },
        {"host": "gitlab.com", "id": 5, "owner": "incubateur", "name": "tagged", "tags": ["1.0"]},
        {
            "host": "git.example.fr",
            "id": 6,
            "owner": "dinum",
            "name": "outil",
            "releases": [
                {
                    "tag_name": "v3.0-beta",
                    "published_at": "2022-06-01T00:00:00Z",
                    "prerelease": True,
                },
                {"tag_name": "v2.0", "published_at": "2022-01-02T00:00:00Z"},
            ],
        },
    ],
}


@pytest.fixture
def forge() -> Iterator[FakeForge]:
    with FakeForge(SEED) as fake:
        yield fake


def forges(fake: FakeForge) -> dict[str, tuple[str, str]]:
    return {host: (f.kind, fake.api_url(host)) for host, f in fake.state.forges.items()}


@pytest.mark.parametrize(
    ("url", "number", "published", "page"),
    [
        (
            "https://github.com/etalab/udata",
            "7.0.1",
            dt.date(2024, 4, 2),
            "https://github.com/etalab/udata/releases/tag/v7.0.1",
        ),
        (
            "https://gitlab.com/incubateur/sub/app/-/tree/main",
            "2.1.0",
            dt.date(2023, 1, 2),
            "https://gitlab.com/incubateur/sub/app/-/releases/2.1.0",
        ),
        (
            "https://git.example.fr/dinum/outil.git",
            "2.0",
            dt.date(2022, 1, 2),
            "https://git.example.fr/dinum/outil/releases/tag/v2.0",
        ),
    ],
)
def test_the_latest_stable_release_is_found_on_each_forge_kind(forge, url, number, published, page):
    record = latest_release(url, forges=forges(forge))

    assert record is not None
    assert (record.source, record.external_id, record.repository) == ("forge", url, url)
    assert record.latest_version == Version(number, published)
    assert record.url == page


@pytest.mark.parametrize(
    ("url", "number"),
    [
        ("https://github.com/etalab/tags-only", "0.3"),
        ("https://gitlab.com/incubateur/tagged", "1.0"),
    ],
)
def test_without_releases_the_latest_tag_is_used(forge, url, number):
    record = latest_release(url, forges=forges(forge))
    assert record is not None and record.latest_version == Version(number)


def test_a_repository_with_neither_release_nor_tag_gives_none(forge):
    assert latest_release("https://github.com/etalab/nothing", forges=forges(forge)) is None


@pytest.mark.parametrize(
    "url",
    ["https://example.org/a/b", "javascript:alert(1)", "https://github.com/only-owner", ""],
)
def test_an_unknown_forge_or_a_url_without_repository_sends_nothing(forge, url):
    assert latest_release(url, forges=forges(forge)) is None
    assert forge.requests == []


def test_a_rerun_sends_one_conditional_request_per_repository(forge):
    cache = MemoryHttpCache()
    urls = [
        "https://github.com/etalab/udata",
        "https://gitlab.com/incubateur/sub/app",
        "https://git.example.fr/dinum/outil",
    ]
    first = [latest_release(u, cache=cache, forges=forges(forge)) for u in urls]
    forge.reset_log()

    again = [latest_release(u, cache=cache, forges=forges(forge)) for u in urls]

    assert again == first
    assert [(r.status, "If-None-Match" in r.headers) for r in forge.requests] == [(304, True)] * 3


def test_a_repository_that_is_gone_gives_none_not_an_error(forge):
    assert latest_release("https://github.com/etalab/gone", forges=forges(forge)) is None
    assert [r.status for r in forge.requests] == [404, 404]  # no release, then no tags either


def test_a_failing_forge_raises_a_source_error(forge):
    forge.fault("gitlab.com", "server_error")
    with pytest.raises(SourceError) as caught:
        latest_release("https://gitlab.com/incubateur/sub/app", forges=forges(forge), max_retries=0)
    assert caught.value.status == 500 and caught.value.requests == 1


def test_repository_paths_and_version_numbers():
    assert repository_path("https://GitHub.com/etalab/udata.git") == ("github.com", "etalab/udata")
    assert repository_path("https://gitlab.com/a/b/c/-/blob/main/README.md") == (
        "gitlab.com",
        "a/b/c",
    )
    assert repository_path("https://github.com/etalab") == ("", "")
    assert [version_number(t) for t in ("v1.2.0", "release-2.0", "Version 3", "vendor", "1.0")] == [
        "1.2.0",
        "2.0",
        "3",
        "vendor",
        "1.0",
    ]


def test_the_forges_as_a_source_skip_gone_repositories_and_count_requests(forge):
    releases = ForgeReleases(forges=forges(forge), cache=MemoryHttpCache())
    urls = [
        "https://github.com/etalab/udata",
        "https://github.com/etalab/gone",
        "https://example.org/not/a-forge",
        "https://git.example.fr/dinum/outil",
    ]

    fetched = releases.fetch(urls)

    assert [r.latest_version.number for r in fetched.records] == ["7.0.1", "2.0"]
    assert fetched.requests == 4 and not fetched.not_modified  # gone: releases then tags
    again = releases.fetch(urls)
    assert again.records == fetched.records and again.requests == 4
    assert releases.search("udata") == []


def test_the_forges_as_a_source_fail_whole_when_a_forge_fails(forge):
    forge.fault("git.example.fr", "server_error")
    releases = ForgeReleases(forges=forges(forge), max_retries=0)

    with pytest.raises(SourceError) as caught:
        releases.fetch(["https://github.com/etalab/udata", "https://git.example.fr/dinum/outil"])

    assert caught.value.status == 500 and caught.value.requests == 2


def test_a_throttled_forge_is_waited_out(forge):
    forge.fault("gitlab.com", "secondary_rate_limit", times=1, seconds=1)

    record = latest_release("https://gitlab.com/incubateur/sub/app", forges=forges(forge))

    assert record is not None and record.latest_version.number == "2.1.0"
    assert [r.status for r in forge.requests] == [429, 200]


def test_a_forge_answering_garbage_raises_a_source_error(forge):
    forge.fault("git.example.fr", "garbage")
    with pytest.raises(SourceError, match="HTML"):
        latest_release("https://git.example.fr/dinum/outil", forges=forges(forge), max_retries=0)


def test_the_fake_sources_can_run_a_fake_forge_for_the_releases():
    with FakeSources({}, forge_seed=SEED) as sources:
        record = latest_release("https://github.com/etalab/udata", forges=sources.forges)
        assert sources.forges["gitlab.com"] == ("gitlab", sources.forge.api_url("gitlab.com"))

    assert record is not None and record.latest_version.number == "7.0.1"
    assert FakeSources({}).forges == {}
