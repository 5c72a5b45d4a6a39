"""HTTP pieces the three forge dialects share: request, response, routing, paging, file listings."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from crawlers.fakeforge.state import Account, Forge, ForgeState


@dataclass
class Request:
    """One GET to a forge of the fake server, its path already split after ``/<host>/``."""

    state: ForgeState
    forge: Forge
    segments: list[str]  # percent-decoded, so a GitLab "a%2Fb" id stays one segment
    query: dict[str, str]
    origin: str  # "http://127.0.0.1:PORT"
    raw_path: str  # as sent, percent-encoding kept: "/github.com/api/v3/orgs/x/repos"
    body: bytes = b""  # a POST's body (GraphQL)

    @property
    def host(self) -> str:
        return self.forge.host

    def api_base(self, prefix: str) -> str:
        return f"{self.origin}/{self.host}/{prefix}"

    def url_with(self, **params: Any) -> str:
        """This request's absolute URL with some query parameters replaced (for Link headers)."""
        query = dict(self.query)
        for key, value in params.items():
            if value is None:
                query.pop(key, None)
            else:
                query[key] = str(value)
        suffix = f"?{urlencode(query)}" if query else ""
        return f"{self.origin}{self.raw_path}{suffix}"


@dataclass
class Response:
    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "application/json; charset=utf-8"

    @property
    def etag(self) -> str:
        """Strong validator over the body and the paging headers (a new last page changes it)."""
        digest = hashlib.sha256(self.body)
        for key in sorted(self.headers):
            digest.update(f"\n{key}: {self.headers[key]}".encode())
        return f'"{digest.hexdigest()[:40]}"'


def served_fields(repo: dict[str, Any]) -> dict[str, Any]:
    """What a seed repository's ``served`` mapping says to answer as given, over the fields the
    fake forge computes (``html_url``…): how a hostile forge is imitated (see ``hostile``)."""
    return repo.get("served") or {}


def json_response(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    body = json.dumps(data, ensure_ascii=False).encode()
    return Response(status=status, body=body, headers=headers or {})


def raw_response(content: bytes) -> Response:
    return Response(status=200, body=content, content_type="text/plain; charset=utf-8")


Handler = Callable[..., Response | None]


class Router:
    """Maps ``a/{b}/c/{rest*}`` patterns to handlers called with the captured parts, and with
    ``fixed`` keyword arguments when one handler serves several routes."""

    def __init__(self) -> None:
        self._routes: list[tuple[list[str], Handler, dict[str, Any]]] = []

    def route(self, pattern: str, **fixed: Any) -> Callable[[Handler], Handler]:
        def register(handler: Handler) -> Handler:
            self._routes.append((pattern.split("/"), handler, fixed))
            return handler

        return register

    def dispatch(self, request: Request) -> Response | None:
        segments = request.segments
        if segments and segments[-1] == "":
            segments = segments[:-1]
        for pattern, handler, fixed in self._routes:
            params = _match(pattern, segments)
            if params is not None:
                return handler(request, **params, **fixed)
        return None


def _match(pattern: list[str], segments: list[str]) -> dict[str, str] | None:
    params: dict[str, str] = {}
    for i, part in enumerate(pattern):
        if part.endswith("*}"):
            params[part[1:-2]] = "/".join(segments[i:])
            return params
        if i >= len(segments):
            return None
        if part.startswith("{"):
            if not segments[i]:
                return None
            params[part[1:-1]] = segments[i]
        elif part != segments[i]:
            return None
    return params if len(segments) == len(pattern) else None


def int_param(query: dict[str, str], name: str, default: int, *, maximum: int | None = None) -> int:
    """A positive integer parameter; absent or nonsense values fall back as the forges do."""
    try:
        value = int(query.get(name, ""))
    except ValueError:
        return default
    if value < 1:
        return default
    return min(value, maximum) if maximum else value


def bool_param(query: dict[str, str], name: str) -> bool | None:
    """A boolean as Rails/Grape reads it ("true", "True", "1"...), None when absent or unclear."""
    value = query.get(name, "").lower()
    if value in ("true", "t", "1", "yes", "on"):
        return True
    if value in ("false", "f", "0", "no", "off"):
        return False
    return None


def page_slice(items: list[Any], page: int, per_page: int) -> tuple[list[Any], int]:
    """The items of ``page`` and the number of the last page (1 for an empty list)."""
    last = max(1, -(-len(items) // per_page))
    return items[(page - 1) * per_page : page * per_page], last


def link_header(request: Request, rels: dict[str, int], *, page_param: str = "page") -> str:
    return ", ".join(
        f'<{request.url_with(**{page_param: number})}>; rel="{rel}"' for rel, number in rels.items()
    )


def neighbour_pages(page: int, last: int) -> dict[str, int]:
    rels: dict[str, int] = {}
    if page > 1:
        rels["prev"] = min(page - 1, last)
        rels["first"] = 1
    if page < last:
        rels["next"] = page + 1
        rels["last"] = last
    return rels


def sort_repositories(
    repos: list[dict[str, Any]], key: str, *, descending: bool
) -> list[dict[str, Any]]:
    """Stable order on ``key`` then id (the id keeps pages deterministic on ties)."""

    def sort_key(repo: dict[str, Any]) -> tuple[Any, int]:
        value = repo.get(key)
        if key == "full_name":
            value = f"{repo['owner']}/{repo['path']}".lower()
        return (value if value is not None else "", repo["id"])

    return sorted(repos, key=sort_key, reverse=descending)


# -- repository files ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """A file or folder of a repository's default branch."""

    path: str
    is_dir: bool
    content: bytes = b""

    @property
    def name(self) -> str:
        return self.path.rpartition("/")[2]

    @property
    def sha(self) -> str:
        """The git object id a real forge would show (blob hash of the content)."""
        kind = b"tree" if self.is_dir else b"blob"
        return hashlib.sha1(kind + b" %d\0" % len(self.content) + self.content).hexdigest()  # noqa: S324

    @property
    def base64(self) -> str:
        return base64.encodebytes(self.content).decode()


def _default_content(repo: dict[str, Any], path: str) -> bytes:
    name = path.rpartition("/")[2].upper()
    full_name = f"{repo['owner']}/{repo['path']}"
    if name.startswith("README"):
        return f"# {repo['name']}\n\n{repo['description']}\n".encode()
    if name.startswith(("LICENSE", "LICENCE", "COPYING")):
        license_name = (repo.get("license") or {}).get("name") or "All rights reserved"
        return f"{license_name}\n\nCopyright the authors of {full_name}.\n".encode()
    return f"{path} of {full_name}\n".encode()


def repository_entries(repo: dict[str, Any]) -> dict[str, Entry]:
    """Every file and folder, by path: ``root_files`` (a trailing ``/`` marks a folder) plus ``files``."""
    entries: dict[str, Entry] = {}
    files: dict[str, str] = repo.get("files") or {}
    for name in repo.get("root_files") or []:
        if name.endswith("/"):
            entries[name.rstrip("/")] = Entry(path=name.rstrip("/"), is_dir=True)
        elif name not in files:
            entries[name] = Entry(path=name, is_dir=False, content=_default_content(repo, name))
    for path, text in files.items():
        parts = path.split("/")
        for i in range(1, len(parts)):
            folder = "/".join(parts[:i])
            entries[folder] = Entry(path=folder, is_dir=True)
        entries[path] = Entry(path=path, is_dir=False, content=text.encode())
    return entries


def folder_listing(repo: dict[str, Any], folder: str) -> list[Entry] | None:
    """Entries directly inside ``folder`` ("" for the root), folders first; None if no such folder."""
    entries = repository_entries(repo)
    folder = folder.strip("/")
    if folder and not (folder in entries and entries[folder].is_dir):
        return None
    prefix = f"{folder}/" if folder else ""
    inside = [e for p, e in entries.items() if p.startswith(prefix) and "/" not in p[len(prefix) :]]
    return sorted(inside, key=lambda e: (not e.is_dir, e.path.lower()))


def file_entry(repo: dict[str, Any], path: str) -> Entry | None:
    return repository_entries(repo).get(path.strip("/"))


# -- handlers GitHub and Gitea share (Gitea's API copies GitHub's) -------------------------------


def repository_at(request: Request, owner: str, name: str) -> dict[str, Any] | None:
    """The repository ``owner/name`` of the request's forge."""
    return request.state.repository_by_path(request.host, f"{owner}/{name}")


def language_shares(repo: dict[str, Any]) -> dict[str, float]:
    """Each language's share in percent: the stored breakdown, else all of the main language."""
    return repo["languages"] or ({repo["language"]: 100.0} if repo["language"] else {})


def get_repository(
    request: Request, owner: str, name: str, *, render: Callable[[Request, Any], dict[str, Any]]
) -> Response | None:
    repo = repository_at(request, owner, name)
    return None if repo is None else json_response(render(request, repo))


def get_language_bytes(request: Request, owner: str, name: str) -> Response | None:
    """Languages counted in bytes: a share of 100 % becomes 10,000 bytes."""
    repo = repository_at(request, owner, name)
    if repo is None:
        return None
    return json_response(
        {lang: round(share * 100) for lang, share in language_shares(repo).items()}
    )


def get_contents(
    request: Request,
    owner: str,
    name: str,
    path: str,
    *,
    render: Callable[[Request, dict[str, Any], Entry], dict[str, Any]],
    base64_lines: bool,
) -> Response | None:
    """A folder's entries, or a file with its base64 content (GitHub breaks it into lines as git
    does, Gitea does not)."""
    repo = repository_at(request, owner, name)
    if repo is None:
        return None
    listing = folder_listing(repo, path)
    if listing is not None:
        return json_response([render(request, repo, e) for e in listing])
    entry = file_entry(repo, path)
    if entry is None:
        return None
    content = entry.base64 if base64_lines else entry.base64.replace("\n", "")
    return json_response(render(request, repo, entry) | {"encoding": "base64", "content": content})


def is_real_spdx(license_: dict[str, Any] | None) -> bool:
    return bool(license_ and license_.get("spdx_id") and license_["spdx_id"] != "NOASSERTION")


def account_type(account: Account) -> str:
    return "Organization" if account.kind in ("org", "group") else "User"


def validate_id(text: str) -> int | None:
    return int(text) if re.fullmatch(r"\d{1,18}", text) else None
