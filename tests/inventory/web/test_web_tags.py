"""Template helpers: the menu links only to pages that exist and marks the current section."""

from django.template import Context, Template
from django.test import RequestFactory

from inventory.web.templatetags.web_tags import optional_path, optional_url


def test_optional_path_keeps_existing_pages_and_drops_missing_ones():
    assert optional_path("/logiciels/") == "/logiciels/"
    assert optional_path("/no-such-section-here/x/y/") == ""


def test_optional_url_reverses_known_routes_only():
    assert optional_url("web:software_list") == "/logiciels/"
    assert optional_url("web:no_such_route") == ""


def test_nav_current_marks_the_section_of_the_current_page():
    template = Template(
        "{% load web_tags %}<a {% nav_current '/logiciels/' %}></a><a {% nav_current '/' %}></a>"
    )
    html = template.render(Context({"request": RequestFactory().get("/logiciels/vim/")}))
    assert html == '<a aria-current="page"></a><a ></a>'


def test_markdown_filter_sanitises():
    html = Template("{% load web_tags %}{{ text|markdown }}").render(
        Context({"text": "**gras** <script>x()</script>"})
    )
    assert "<strong>gras</strong>" in html and "<script>" not in html


def test_select_options_of_a_cached_menu_are_its_stored_markup_with_one_selected():
    import pickle

    from inventory.web.menus import MenuOptions
    from inventory.web.templatetags.web_tags import select_options

    choices = [("a<b", "A & B"), ("Rust", "Rust")]
    menu = pickle.loads(pickle.dumps(MenuOptions(choices)))  # noqa: S301 - as the cache keeps it

    assert list(menu) == choices
    assert select_options(menu, "rust") == select_options(choices, "rust")
    assert select_options(menu, "rust") == (
        '<option value="a&lt;b">A &amp; B</option><option value="Rust" selected>Rust</option>'
    )
    assert " selected" not in select_options(menu, "")
