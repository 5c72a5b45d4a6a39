"""Markdown to safe HTML: comments and descriptions are rendered, then sanitised with nh3."""

import markdown as markdown_lib
import nh3

ALLOWED_TAGS = {
    "p", "br", "hr", "strong", "em", "b", "i", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "h3", "h4", "h5", "h6", "del",
}  # fmt: skip
# Headings h1/h2 belong to the page; user text starts at h3 (its h1/h2 are dropped to text).
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}


def render_markdown(text: str) -> str:
    """Render user Markdown to HTML that is safe to insert in a page.

    Raw HTML in the text is escaped by nh3's allow-list: scripts, event handlers, styles,
    images and any link whose scheme is not http, https or mailto are removed; links get
    rel="nofollow noopener noreferrer" so they pass no ranking and cannot reach the opener.
    """
    html = markdown_lib.markdown(text or "", extensions=["sane_lists"], output_format="html")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        clean_content_tags={"script", "style"},
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="nofollow noopener noreferrer",
    ).strip()
