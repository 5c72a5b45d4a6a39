"""Server behaviour shared by every dialect: ETags, rate limits, faults, tokens, mutations, log."""

from __future__ import annotations

import json
import socket
import threading
import time

import gitlab
import pytest
import requests
from github import Auth, BadCredentialsException, Github, RateLimitExceededException

from crawlers.fakeforge import FakeForge
from tests.crawlers.fakeforge.conftest import make_seed


def _get(forge: FakeForge, host: str, path: str, **kwargs) -> requests.Response:
    return requests.get(
        f"{forge.base_url}/{host}{path}", timeout=kwargs.pop("timeout", 5), **kwargs
    )


JDOE_REPOS = "/api/v3/users/jdoe/repos"


# -- conditional requests ---------------------------------------------------------------------


def test_unchanged_page_answers_304_without_body_or_rate_cost(forge):
    first = _get(forge, "github.com", "/api/v3/orgs/etalab/repos")
    again = _get(
        forge,
        "github.com",
        "/api/v3/orgs/etalab/repos",
        headers={"If-None-Match": first.headers["ETag"]},
    )

    assert first.status_code == 200
    assert first.headers["ETag"].startswith('"') and not first.headers["ETag"].startswith("W/")
    assert again.status_code == 304 and again.content == b""
    assert again.headers["ETag"] == first.headers["ETag"]
    assert again.headers["X-RateLimit-Remaining"] == first.headers["X-RateLimit-Remaining"]
    assert [r.status for r in forge.requests] == [200, 304]


def test_every_dialect_honours_if_none_match(forge):
    for host, path in [
        ("gitlab.com", "/api/v4/projects/101"),
        ("git.example.fr", "/api/v1/repos/dinum/outil-1"),
        ("gitlab.com", "/api/v4/projects/101/repository/files/README.md/raw"),
    ]:
        etag = _get(forge, host, path).headers["ETag"]
        assert _get(forge, host, path, headers={"If-None-Match": etag}).status_code == 304


@pytest.mark.parametrize(
    "mutate",
    [
        lambda ff: ff.update_repository("github.com", 900, description="New words"),
        lambda ff: ff.add_repository("github.com", {"id": 901, "owner": "jdoe", "name": "blog"}),
        lambda ff: ff.remove_repository("github.com", 900),
        lambda ff: ff.rename_repository("github.com", 900, "configuration"),
        lambda ff: ff.rename_repository("github.com", 1, "udata", new_owner="jdoe"),
    ],
    ids=["update", "add", "remove", "rename", "transfer"],
)
def test_mutation_changes_the_etag_so_the_page_answers_200_again(forge, mutate):
    etag = _get(forge, "github.com", JDOE_REPOS).headers["ETag"]

    mutate(forge)
    answer = _get(forge, "github.com", JDOE_REPOS, headers={"If-None-Match": etag})

    assert answer.status_code == 200
    assert answer.headers["ETag"] != etag


def test_update_bumps_updated_and_pushed_dates_unless_given(forge):
    forge.update_repository("github.com", 900, stars=7)
    forge.update_repository("github.com", 2, stars=1, pushed_at="2021-06-02T00:00:00Z")

    bumped = _get(forge, "github.com", "/api/v3/repos/jdoe/dotfiles").json()
    kept = _get(forge, "github.com", "/api/v3/repos/etalab/project-002").json()

    assert bumped["stargazers_count"] == 7
    assert (
        bumped["updated_at"] > "2021-06-01T00:00:00Z"
        and bumped["pushed_at"] > "2021-06-02T00:00:00Z"
    )
    assert (
        kept["pushed_at"] == "2021-06-02T00:00:00Z" and kept["updated_at"] > "2021-06-01T00:00:00Z"
    )


def test_renamed_repository_keeps_its_id_and_leaves_its_old_path(forge):
    forge.rename_repository("gitlab.com", 104, "moved", new_owner="incubateur-territoires/sub")

    assert _get(forge, "gitlab.com", "/api/v4/projects/elsewhere%2Fnot-ours").status_code == 404
    moved = _get(forge, "gitlab.com", "/api/v4/projects/104").json()
    assert moved["path_with_namespace"] == "incubateur-territoires/sub/moved"


# -- rate limits ------------------------------------------------------------------------------


def test_rate_limit_headers_count_each_answer_down(forge):
    first = _get(forge, "github.com", "/api/v3/orgs/etalab")
    second = _get(forge, "github.com", "/api/v3/orgs/nobody")

    assert first.headers["X-RateLimit-Limit"] == "100000"
    assert int(first.headers["X-RateLimit-Remaining"]) - 1 == int(
        second.headers["X-RateLimit-Remaining"]
    )
    assert (first.headers["X-RateLimit-Used"], second.headers["X-RateLimit-Used"]) == ("1", "2")
    assert int(first.headers["X-RateLimit-Reset"]) > time.time()
    assert first.headers["X-RateLimit-Reset"] == second.headers["X-RateLimit-Reset"]


def test_each_host_has_its_own_window(forge):
    _get(forge, "github.com", "/api/v3/orgs/etalab")

    other = _get(forge, "git.example.fr", "/api/v1/orgs/dinum")

    assert other.headers["X-RateLimit-Remaining"] == str(100_000 - 1)


def test_exhausted_limit_answers_403_on_github_and_429_on_gitlab():
    with FakeForge(make_seed(), rate_limit=2) as forge:
        client = Github(
            base_url=forge.api_url("github.com"), retry=None, seconds_between_requests=0
        )
        client.get_organization("etalab")
        client.get_user("jdoe")
        with pytest.raises(RateLimitExceededException):
            client.get_organization("etalab")
        for _ in range(2):
            _get(forge, "gitlab.com", "/api/v4/projects/101")
        throttled = _get(forge, "gitlab.com", "/api/v4/projects/101")

    assert throttled.status_code == 429
    assert throttled.headers["RateLimit-Remaining"] == "0"


# -- faults -----------------------------------------------------------------------------------


def test_server_error_fault_alternates_500_and_502_then_stops(forge):
    forge.fault("github.com", "server_error", times=2)

    statuses = [_get(forge, "github.com", "/api/v3/orgs/etalab").status_code for _ in range(3)]

    assert statuses == [500, 502, 200]


def test_fault_matches_its_host_and_path_only(forge):
    forge.fault("github.com", "server_error", path_contains="page=2")

    page_one = _get(forge, "github.com", "/api/v3/orgs/etalab/repos", params={"page": 1})
    page_two = _get(forge, "github.com", "/api/v3/orgs/etalab/repos", params={"page": 2})
    other_host = _get(forge, "gitlab.com", "/api/v4/projects/101", params={"page": 2})

    assert (page_one.status_code, page_two.status_code, other_host.status_code) == (200, 500, 200)


def test_fault_without_times_lasts_until_cleared(forge):
    forge.fault("gitlab.com", "server_error")
    assert [
        _get(forge, "gitlab.com", "/api/v4/projects/101").status_code >= 500 for _ in range(3)
    ] == [True] * 3

    forge.clear_faults()

    assert _get(forge, "gitlab.com", "/api/v4/projects/101").status_code == 200


def test_timeout_fault_holds_the_connection_past_the_client_timeout(forge):
    forge.fault("github.com", "timeout", times=1, seconds=1)

    with pytest.raises(requests.exceptions.ReadTimeout):
        _get(forge, "github.com", "/api/v3/orgs/etalab", timeout=0.2)
    recovered = _get(forge, "github.com", "/api/v3/orgs/etalab")

    assert recovered.status_code == 200


def test_timeout_fault_outlasts_a_client_timeout_of_the_same_length(forge):
    forge.fault("github.com", "timeout", times=1, seconds=0.3)

    with pytest.raises(requests.exceptions.ReadTimeout):
        _get(forge, "github.com", "/api/v3/orgs/etalab", timeout=0.3)


def test_timeout_fault_closes_without_answering(forge):
    forge.fault("github.com", "timeout", times=1, seconds=0.1)

    with pytest.raises(requests.exceptions.ConnectionError):
        _get(forge, "github.com", "/api/v3/orgs/etalab")

    assert forge.requests[0].status == 0


def test_truncated_json_fault_sends_half_the_real_answer(forge):
    whole = _get(forge, "github.com", "/api/v3/orgs/etalab").content
    forge.fault("github.com", "truncated_json", times=1)

    cut = _get(forge, "github.com", "/api/v3/orgs/etalab")

    assert cut.status_code == 200
    assert cut.content == whole[: len(whole) // 2]
    assert "ETag" not in cut.headers
    with pytest.raises(ValueError):
        json.loads(cut.content)


def test_garbage_fault_sends_html_with_200(forge):
    forge.fault("gitlab.com", "garbage", times=1)

    answer = _get(forge, "gitlab.com", "/api/v4/groups/incubateur-territoires")

    assert answer.status_code == 200
    assert answer.headers["Content-Type"].startswith("text/html")
    with pytest.raises(ValueError):
        answer.json()


def test_rate_limit_fault_announces_the_reset(forge):
    forge.fault("github.com", "rate_limit", times=1, seconds=30)
    client = Github(base_url=forge.api_url("github.com"), retry=None, seconds_between_requests=0)

    with pytest.raises(RateLimitExceededException):
        client.get_organization("etalab")
    forge.fault("github.com", "rate_limit", times=1, seconds=30)
    answer = _get(forge, "github.com", "/api/v3/orgs/etalab")

    assert answer.status_code == 403
    assert answer.headers["X-RateLimit-Remaining"] == "0"
    assert time.time() < int(answer.headers["X-RateLimit-Reset"]) <= time.time() + 31
    assert client.get_organization("etalab").login == "etalab"


def test_rate_limit_fault_on_gitlab_is_a_429_with_ratelimit_headers(forge):
    forge.fault("gitlab.com", "rate_limit", times=1, seconds=30)

    answer = _get(forge, "gitlab.com", "/api/v4/projects/101")

    assert answer.status_code == 429
    assert answer.headers["RateLimit-Remaining"] == "0"
    assert int(answer.headers["RateLimit-Reset"]) > time.time()
    assert 0 < int(answer.headers["Retry-After"]) <= 30


def test_secondary_rate_limit_sends_retry_after(forge):
    forge.fault("github.com", "secondary_rate_limit", times=1, seconds=7)
    forge.fault("git.example.fr", "secondary_rate_limit", times=1, seconds=7)

    github_answer = _get(forge, "github.com", "/api/v3/orgs/etalab")
    gitea_answer = _get(forge, "git.example.fr", "/api/v1/orgs/dinum")

    assert github_answer.status_code == 403
    assert github_answer.headers["Retry-After"] == "7"
    assert "secondary rate limit" in github_answer.json()["message"]
    assert int(github_answer.headers["X-RateLimit-Remaining"]) > 0
    assert (gitea_answer.status_code, gitea_answer.headers["Retry-After"]) == (429, "7")


def test_python_gitlab_waits_out_a_secondary_rate_limit_and_retries(forge):
    forge.fault("gitlab.com", "secondary_rate_limit", times=1, seconds=0)
    client = gitlab.Gitlab(url=forge.api_url("gitlab.com"))

    group = client.groups.get("incubateur-territoires")

    assert group.full_path == "incubateur-territoires"
    assert [r.status for r in forge.requests] == [429, 200]


def test_unauthorized_fault_answers_401(forge):
    forge.fault("github.com", "unauthorized", times=1)
    client = Github(base_url=forge.api_url("github.com"), retry=None, seconds_between_requests=0)

    with pytest.raises(BadCredentialsException):
        client.get_organization("etalab")


def test_unknown_fault_kind_is_refused(forge):
    with pytest.raises(ValueError):
        forge.fault("github.com", "meteor")


# -- tokens and vanished accounts -------------------------------------------------------------


def test_required_token_is_checked_per_host(forge):
    forge.tokens = {"github.com": "secret", "gitlab.com": "glpat"}

    anonymous = _get(forge, "github.com", "/api/v3/orgs/etalab")
    wrong = _get(
        forge, "github.com", "/api/v3/orgs/etalab", headers={"Authorization": "token nope"}
    )
    client = Github(
        base_url=forge.api_url("github.com"),
        auth=Auth.Token("secret"),
        retry=None,
        seconds_between_requests=0,
    )
    gitlab_client = gitlab.Gitlab(url=forge.api_url("gitlab.com"), private_token="glpat")

    assert (anonymous.status_code, wrong.status_code) == (401, 401)
    assert client.get_organization("etalab").login == "etalab"
    assert gitlab_client.projects.get(101).id == 101
    assert _get(forge, "git.example.fr", "/api/v1/orgs/dinum").status_code == 200


def test_removed_github_account_and_its_repositories_answer_404(forge, github_client):
    forge.remove_account("github.com", "etalab")

    for path in ["/orgs/etalab", "/users/etalab", "/orgs/etalab/repos", "/repos/etalab/udata"]:
        assert _get(forge, "github.com", f"/api/v3{path}").status_code == 404, path
    assert github_client.get_user("jdoe").get_repos().totalCount == 1


def test_removed_gitlab_group_takes_its_subgroups_away(forge):
    forge.remove_account("gitlab.com", "incubateur-territoires")

    gone = _get(forge, "gitlab.com", "/api/v4/groups/incubateur-territoires%2Fsub")
    remaining = _get(forge, "gitlab.com", "/api/v4/projects").json()

    assert gone.status_code == 404
    assert sorted(p["path_with_namespace"] for p in remaining) == [
        "elsewhere/not-ours",
        "someone/personal",
    ]


def test_removing_an_unknown_account_is_an_error(forge):
    with pytest.raises(KeyError):
        forge.remove_account("github.com", "nobody")


# -- log, addresses, life cycle ---------------------------------------------------------------


def test_request_log_records_what_was_asked_and_answered(forge):
    _get(
        forge,
        "gitlab.com",
        "/api/v4/groups/incubateur-territoires%2Fsub/projects",
        params={"per_page": 5},
        headers={"If-None-Match": '"x"'},
    )

    (entry,) = forge.requests
    forge.reset_log()

    assert (entry.method, entry.host, entry.status) == ("GET", "gitlab.com", 200)
    assert entry.path == "/api/v4/groups/incubateur-territoires%2Fsub/projects"
    assert entry.query == {"per_page": "5"}
    assert entry.headers["If-None-Match"] == '"x"'
    assert forge.requests == []


def test_unknown_host_is_404(forge):
    assert _get(forge, "example.org", "/api/v3/orgs/etalab").status_code == 404


def test_api_urls_follow_each_client_convention(forge):
    assert forge.api_url("github.com") == f"http://127.0.0.1:{forge.port}/github.com/api/v3"
    assert forge.api_url("gitlab.com") == f"http://127.0.0.1:{forge.port}/gitlab.com"


def test_fixed_port_and_seed_file(tmp_path):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    path = tmp_path / "seed.json"
    path.write_text(json.dumps(make_seed()), encoding="utf-8")

    with FakeForge.from_file(path, port=port) as forge:
        answer = requests.get(f"http://127.0.0.1:{port}/github.com/api/v3/orgs/etalab", timeout=5)

    assert forge.port == port and answer.status_code == 200


def test_invalid_seed_is_refused():
    with pytest.raises(ValueError):
        FakeForge({"forges": {"x.org": {"kind": "svn"}}})
    duplicate = make_seed()
    duplicate["repositories"].append(dict(duplicate["repositories"][0]))
    with pytest.raises(ValueError):
        FakeForge(duplicate)


def test_exit_releases_a_connection_held_by_a_timeout_fault():
    forge = FakeForge(make_seed()).start()
    forge.fault("github.com", "timeout", seconds=600)
    outcome: list[object] = []

    def wait_forever():
        url = f"{forge.api_url('github.com')}/orgs/etalab"
        try:
            outcome.append(requests.get(url, timeout=None).status_code)  # noqa: S113
        except requests.exceptions.ConnectionError as error:
            outcome.append(error)

    client = threading.Thread(target=wait_forever, daemon=True)
    client.start()
    while not forge.state.faults[0].hits and client.is_alive():
        time.sleep(0.01)
    forge.stop()
    client.join(timeout=30)

    assert not client.is_alive()
    assert isinstance(outcome[0], requests.exceptions.ConnectionError)
    with pytest.raises(requests.exceptions.ConnectionError):
        requests.get(f"{forge.api_url('github.com')}/orgs/etalab", timeout=5)


def test_concurrent_mutations_and_reads_stay_consistent(forge):
    def add(start: int) -> None:
        for i in range(start, start + 20):
            forge.add_repository("git.example.fr", {"id": i, "owner": "dinum", "name": f"new-{i}"})

    writers = [threading.Thread(target=add, args=(10_000 + 100 * n,)) for n in range(4)]
    for thread in writers:
        thread.start()
    while any(t.is_alive() for t in writers):
        assert _get(forge, "git.example.fr", "/api/v1/repos/search").status_code == 200
    for thread in writers:
        thread.join()

    total = _get(forge, "git.example.fr", "/api/v1/repos/search").headers["X-Total-Count"]
    assert total == str(61 + 80)


@pytest.mark.parametrize(
    "host, path",
    [
        ("github.com", "/api/v3/orgs/etalab/repos?per_page=abc&page=-3&sort=zzz&direction=up"),
        ("github.com", "/api/v3/repos/etalab/udata/contents/no/such/file"),
        ("github.com", "/api/v3/repos/etalab/udata/contents/README.md/deeper"),
        ("github.com", "/api/v3//orgs"),
        ("github.com", "/%ZZ/%%"),
        ("gitlab.com", "/api/v4/projects?pagination=keyset&id_after=abc&order_by=nope"),
        ("gitlab.com", "/api/v4/projects/99999999999999999999999"),
        ("gitlab.com", "/api/v4/projects/101/repository/tree?path=nowhere"),
        ("gitlab.com", "/api/v4/projects/101/repository/files/%2E%2E%2Fetc/raw"),
        (
            "gitlab.com",
            "/api/v4/groups/incubateur-territoires/projects?include_subgroups=maybe&page=0",
        ),
        ("git.example.fr", "/api/v1/repos/search?limit=-1&page=x&sort=?"),
        ("git.example.fr", "/api/v1/repos/dinum/outil-1/raw/"),
    ],
)
def test_nonsense_requests_never_get_a_server_error(forge, host, path):
    answer = _get(forge, host, path)

    assert answer.status_code in (200, 404)
    answer.json()
