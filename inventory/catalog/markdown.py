"""Markdown to safe HTML: comments and descriptions are rendered, then sanitised with nh3."""

import re
from urllib.parse import urlsplit

import markdown as markdown_lib
import nh3

ALLOWED_TAGS = {
    "p", "br", "hr", "strong", "em", "b", "i", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "h3", "h4", "h5", "h6", "del",
}  # fmt: skip
# Headings h1/h2 belong to the page; user text starts at h3 (its h1/h2 are dropped to text).
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "nofollow noopener noreferrer"
# A link whose address was dropped: nh3's output is normalised, so its form is exactly this.
LINK_WITHOUT_ADDRESS = re.compile(f'<a rel="{LINK_REL}">(.*?)</a>', re.DOTALL)


def render_markdown(text: str) -> str:
    """Render user Markdown to HTML that is safe to insert in a page.

    Raw HTML in the text is escaped by nh3's allow-list: scripts, event handlers, styles,
    images and any link whose scheme is not http, https or mailto are removed; links get
    rel="nofollow noopener noreferrer" so they pass no ranking and cannot reach the opener.
    Relative links (the SILL's texts say "/fr/contact", a page of the former SILL site that
    exists nowhere) are dropped, their text kept.
    """
    html = markdown_lib.markdown(text or "", extensions=["sane_lists"], output_format="html")
    html = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        clean_content_tags={"script", "style"},
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel=LINK_REL,
        attribute_filter=_absolute_links_only,
    )
    return LINK_WITHOUT_ADDRESS.sub(r"\1", html).strip()


def _absolute_links_only(tag: str, attribute: str, value: str) -> str | None:
    if tag == "a" and attribute == "href":
        try:
            parts = urlsplit(value.strip())
        except ValueError:
            return None
        if parts.scheme.lower() not in ALLOWED_URL_SCHEMES:
            return None
        if parts.scheme.lower() != "mailto" and not parts.netloc:
            return None
    return value
