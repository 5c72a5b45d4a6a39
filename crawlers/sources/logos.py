"""Download a logo a source points to: http(s) only, an image type we can show, a bounded size."""

from __future__ import annotations

import ipaddress
import re
import socket
from urllib.parse import urljoin, urlsplit

import requests

from crawlers.sources import clean
from crawlers.sources.base import SourceClient
from crawlers.sources.records import LogoImage

MAX_BYTES = 1_000_000
MAX_REDIRECTS = 5
ACTIVE_SVG = re.compile(
    rb"<script|<foreignobject|<iframe|<embed|<object|javascript:|\bon[a-z]+\s*=|<!entity"
)
# Content type → how the file must start (None: checked otherwise).
SIGNATURES: dict[str, tuple[bytes, ...] | None] = {
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/gif": (b"GIF87a", b"GIF89a"),
    "image/webp": None,
    "image/svg+xml": None,
}


class _LogoClient(SourceClient):
    name = "logo"


def _follow(client: _LogoClient, address: str) -> requests.Response:
    """The answer at ``address`` after at most MAX_REDIRECTS redirects, each hop checked: only
    http(s) URLs of hosts that are not on an internal network (a logo URL comes from a source,
    and must not make us request the inside of ours)."""
    for _hop in range(MAX_REDIRECTS + 1):
        _check_host(client, address)
        response = client.get(address, allow_redirects=False)
        if not response.is_redirect:
            return response
        target = clean.url(urljoin(address, response.headers.get("Location", "")))
        if not target:
            raise client.error(f"{address} redirects to something that is not an http(s) URL")
        address = target
    raise client.error(f"{address}: more than {MAX_REDIRECTS} redirects")


def _check_host(client: _LogoClient, address: str) -> None:
    host = urlsplit(address).hostname or ""
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError) as exc:
        raise client.error(f"{host} cannot be resolved: {exc}") from exc
    for info in infos:
        ip = ipaddress.ip_address(str(info[4][0]).split("%")[0])
        if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
            ip = ip.ipv4_mapped
        # Loopback stays allowed: the fake sources of the tests and the demo listen there.
        if not ip.is_loopback and (
            ip.is_private
            or ip.is_link_local
            or ip.is_multicast
            or ip.is_reserved
            or ip.is_unspecified
        ):
            raise client.error(f"{host} is an internal address ({ip}): not fetched")


def fetch_logo(
    url: str, *, max_bytes: int = MAX_BYTES, session: requests.Session | None = None
) -> LogoImage:
    """The image at ``url`` (redirects followed, as Commons' Special:FilePath needs).

    Raises SourceError for a URL that is not http(s) or leads to an internal address
    (private, link-local, multicast, reserved; loopback is allowed), an answer that is not one of the image
    types of :data:`SIGNATURES` (or whose bytes contradict its type), an SVG with scripts,
    event handlers or entities, or one over ``max_bytes``.
    """
    client = _LogoClient("", session=session)
    address = clean.url(url)
    if not address:
        raise client.error(f"not an http(s) URL: {clean.text(url)!r}")
    response = _follow(client, address)
    content_type = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
    if content_type not in SIGNATURES:
        raise client.error(f"{address} is not an image we show ({content_type or 'no type'})")
    declared = response.headers.get("Content-Length", "")
    if (declared.isdigit() and int(declared) > max_bytes) or len(response.content) > max_bytes:
        raise client.error(f"{address} is over {max_bytes} bytes")
    content = response.content
    if not content or not _looks_like(content_type, content):
        raise client.error(f"{address} is not the {content_type} it claims to be")
    return LogoImage(content=content, content_type=content_type, source_url=address)


def _looks_like(content_type: str, content: bytes) -> bool:
    signatures = SIGNATURES[content_type]
    if signatures is not None:
        return content.startswith(signatures)
    if content_type == "image/webp":
        return content[:4] == b"RIFF" and content[8:12] == b"WEBP"
    text = content.lower()
    head = text[:2048].lstrip()
    is_svg = head.startswith((b"<?xml", b"<svg", b"<!--", b"<!doctype svg")) and b"<svg" in text
    # An SVG can carry script: one that could run or load anything is refused outright.
    return is_svg and not ACTIVE_SVG.search(text)
