"""Markdown from agents is rendered to HTML that cannot run anything."""

import pytest

from inventory.catalog.markdown import render_markdown

HOSTILE = [
    "<script>alert('x')</script>",
    '<img src="x" onerror="alert(1)">',
    "[click](javascript:alert(1))",
    '<a href="JaVaScRiPt:alert(1)">click</a>',
    "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '<svg onload="alert(1)"></svg>',
    '<iframe src="https://evil.example"></iframe>',
    '<p style="background:url(javascript:alert(1))">x</p>',
    "<a href='vbscript:msgbox(1)'>x</a>",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_markup_is_rendered_inert(text):
    html = render_markdown(text).lower()
    for needle in (
        "<script",
        "onerror",
        "onload",
        "javascript:",
        "data:",
        "vbscript:",
        "<iframe",
        "<svg",
        "style=",
    ):
        assert needle not in html


def test_basic_formatting_and_web_links_survive_with_a_safe_rel():
    html = render_markdown("**gras** *italique* [site](https://code.gouv.fr) `code`")
    assert "<strong>gras</strong>" in html
    assert "<em>italique</em>" in html
    assert "<code>code</code>" in html
    assert 'href="https://code.gouv.fr"' in html
    assert 'rel="nofollow noopener noreferrer"' in html


def test_mailto_links_are_kept():
    assert 'href="mailto:sill@numerique.gouv.fr"' in render_markdown(
        "[écrire](mailto:sill@numerique.gouv.fr)"
    )


@pytest.mark.parametrize(
    "link", ["/fr/contact", "fr/contact", "#haut", "//evil.example/x", "https:sans-hote"]
)
def test_relative_links_are_dropped_and_their_text_kept(link):
    html = render_markdown(f"Nous [contacter]({link}) vite")
    assert html == "<p>Nous contacter vite</p>"
