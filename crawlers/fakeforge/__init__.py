"""A fake GitHub / GitLab / Gitea server on 127.0.0.1 for tests, demos and benchmarks (no Django).

It speaks enough GitHub REST v3, GitLab v4 and Gitea v1 for the real PyGithub and python-gitlab
clients and a requests-based Gitea client::

    from crawlers.fakeforge import FakeForge

    with FakeForge(seed) as ff:              # ThreadingHTTPServer, random free port, daemon thread
        ff.api_url("github.com")             # "http://127.0.0.1:PORT/github.com/api/v3" (PyGithub base_url)
        ff.api_url("gitlab.com")             # "http://127.0.0.1:PORT/gitlab.com" (python-gitlab url)
        ff.api_url("git.example.fr")         # "http://127.0.0.1:PORT/git.example.fr/api/v1" (Gitea, Gogs)
        ff.requests                          # [RequestLog(method, host, path, query, status, headers)]
        ff.reset_log()
        ff.fault(host, kind, path_contains=None, times=None, seconds=1)
        ff.clear_faults()
        ff.add_repository(host, repo); ff.update_repository(host, repo_id, **changes)
        ff.remove_repository(host, repo_id); ff.rename_repository(host, repo_id, new_name, new_owner=None)
        ff.remove_account(host, login)       # the owner (and a GitLab group's subgroups) answer 404
        ff.tokens = {"github.com": "secret"} # requests to that host without that token get 401

``FakeForge(seed, port=8765)`` fixes the port; ``rate_limit=`` sets the requests allowed per host
and hour (100,000 by default, so a demo crawl never waits; exhausted → 403 GitHub/Gitea, 429 GitLab).
``FakeForge.from_file(path)`` reads a JSON seed. ``python -m crawlers.fakeforge --seed FILE`` or
``--demo repositories.csv`` serves one from the command line.

Behaviour. Every answer carries rate-limit headers (GitHub and Gitea ``X-RateLimit-Limit/
Remaining/Reset/Used``, GitLab ``RateLimit-Limit/Remaining/Reset/Observed/ResetTime``), counted
per host and hourly window; 304 answers and GitHub's ``/rate_limit`` are free. Lists paginate:
GitHub ``per_page`` ≤ 100 with ``Link`` (next, last, prev, first; absent on a single page);
GitLab ``per_page`` ≤ 100 with ``Link`` + ``X-Page``, ``X-Next-Page``, ``X-Total``,
``X-Total-Pages``, or ``pagination=keyset`` on id (``Link`` rel=next only); Gitea ``limit`` ≤ 50
with ``Link`` + ``X-Total-Count``. Every 200 GET carries a strong ``ETag`` over body and paging
headers, and ``If-None-Match`` gets 304 with no body. Unknown paths get 404 in the forge's style.
GitLab's project lists carry neither license nor language, as on gitlab.com: they cost
``GET /projects/:id?license=true`` and ``/projects/:id/languages``. Releases and tags (a seed
repository's ``releases`` and ``tags``, see ``releases.py``): GitHub ``/repos/:o/:r/releases/latest``
(404 without a stable release) and ``/tags``; GitLab ``/projects/:id/releases`` and
``/repository/tags``; Gitea ``/repos/:o/:r/releases`` (``pre-release=false``, ``limit``) and ``/tags``.

Faults (``kind``), for requests to ``host`` whose path after the host, query included, contains
``path_contains``; ``times=None`` is every matching request, ``times=N`` the next N:
``slow`` answers normally after ``seconds`` (a crawl that takes a while);
``server_error`` alternates 500 (JSON) and 502 (HTML); ``timeout`` holds the connection
``seconds`` + 0.25 s then closes it unanswered; ``truncated_json`` sends the real answer cut in half;
``garbage`` a 200 HTML page; ``rate_limit`` 403 (GitLab: 429 with Retry-After) with remaining 0 and reset in
``seconds``; ``secondary_rate_limit`` 403 on GitHub, 429 elsewhere, with ``Retry-After: seconds``;
``unauthorized`` 401.

Seed (a dict)::

    {"forges": {
       "github.com": {"kind": "github", "accounts": [
           {"login": "etalab", "kind": "org", "name": "Etalab", "description": "", "website": "",
            "location": "Paris", "email": "", "created_at": "2014-01-01T00:00:00Z", "followers": 10}]},
       "gitlab.com": {"kind": "gitlab", "accounts": [{"login": "incubateur-territoires", "kind": "group"},
                                                      {"login": "incubateur-territoires/sub", "kind": "group"}]},
       "git.example.fr": {"kind": "gitea", "accounts": [{"login": "dinum", "kind": "org"}]}},
     "repositories": [
       {"host": "github.com", "id": 123, "owner": "etalab", "name": "udata", "description": "",
        "language": "Python", "languages": {"Python": 80.0, "HTML": 20.0},
        "license": {"spdx_id": "AGPL-3.0", "name": "GNU Affero General Public License v3.0", "key": "agpl-3.0"},
        "topics": ["Open-Data"], "stars": 5, "forks": 2, "open_issues": 1, "subscribers": 3,
        "fork": false, "archived": false, "template": false, "homepage": "", "default_branch": "main",
        "created_at": "...Z", "updated_at": "...Z", "pushed_at": "...Z",
        "root_files": ["README.md", "LICENSE", "publiccode.yml"],
        "files": {"publiccode.yml": "publiccodeYmlVersion: '0.4'\\nname: udata\\n"}}]}

Account kinds: "org", "user", "group" (GitLab); accounts may carry an "id". An owner named only
by repositories becomes an org (GitLab: a group, with its parent groups). A GitLab group's
projects include its subgroups' with ``include_subgroups=true``; a repository may carry "path"
(its URL slug, default "name"). A root file without text in "files" gets a generated one; a
"root_files" entry ending in "/" is a folder. ``GET /api/v4/projects`` and Gitea's
``/repos/search`` list every public repository of the host (whole instances).

GraphQL (``github_graphql``, ``gitlab_graphql``): ``POST /graphql`` or ``/api/graphql`` on a
GitHub host (``nodes(ids:)``, ``node(id:)``, ``object(expression:)``, ``languages``,
``rateLimit``; 401 without a token; cost by GitHub's rule against ``ff.graphql.points`` an hour,
then 403) and ``/api/graphql`` on a GitLab host (``projects(ids:)`` with ``repository { tree,
blobs(paths:) }``, ``languages``, ``queryComplexity``; refused above ``ff.graphql.max_complexity``;
counted against the host's rate limit). ``ff.graphql.disabled.add(host)`` answers 404,
``ff.graphql.refused[host] = {repo_id, ...}`` nulls those repositories with an error.
"""

from crawlers.fakeforge.server import FakeForge, RequestLog

__all__ = ["FakeForge", "RequestLog"]
