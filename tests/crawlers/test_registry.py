"""The registry hands out the right client for each forge kind."""

from __future__ import annotations

import pytest

from crawlers.base import CrawlerError
from crawlers.gitea import GiteaClient
from crawlers.github import GitHubClient
from crawlers.gitlab import GitLabClient
from crawlers.registry import FORGE_KINDS, client_for


@pytest.mark.parametrize(
    ("kind", "api_url", "client_class"),
    [
        ("github", "https://api.github.com", GitHubClient),
        ("github", "https://github.example.fr/api/v3", GitHubClient),
        ("gitlab", "https://gitlab.com", GitLabClient),
        ("gitea", "https://git.example.fr/api/v1", GiteaClient),
        ("gogs", "https://gogs.example.fr/api/v1", GiteaClient),
    ],
)
def test_each_kind_gets_its_client(kind, api_url, client_class):
    client = client_for(kind, api_url=api_url, token="t")

    assert isinstance(client, client_class)
    assert client.api_url == api_url


def test_gogs_client_knows_it_is_gogs():
    assert client_for("gogs", api_url="https://g.example.fr/api/v1").gogs is True
    assert client_for("gitea", api_url="https://g.example.fr/api/v1").gogs is False


def test_unknown_kind_is_a_crawler_error():
    with pytest.raises(CrawlerError, match="unknown forge kind 'bitbucket'"):
        client_for("bitbucket", api_url="https://bitbucket.org")
    assert FORGE_KINDS == ("github", "gitlab", "gitea", "gogs")


def test_api_url_without_scheme_is_a_crawler_error():
    with pytest.raises(CrawlerError, match="http"):
        client_for("gitlab", api_url="gitlab.com")
