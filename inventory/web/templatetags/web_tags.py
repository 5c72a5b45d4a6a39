"""Template helpers for the web interface: links to pages that may not exist yet, active menu items."""

import functools

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import NoReverseMatch, Resolver404, get_urlconf, resolve, reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from crawlers.normalize import web_url as web_url_or_empty
from inventory.catalog.markdown import render_markdown
from inventory.web.cards import repository_cards as render_repository_cards

register = template.Library()


@register.simple_tag
def optional_url(name: str, *args) -> str:
    """The URL of a named route, or "" when that route is not installed."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


@register.simple_tag
def optional_path(path: str) -> str:
    """The path itself when a page answers there, else "": the menu never links to a 404."""
    return _answering(path, get_urlconf())


@functools.lru_cache(maxsize=64)
def _answering(path: str, urlconf) -> str:
    # Every page's menu and footer ask for the same few paths: resolved once per URLconf
    # (resolving walks the URL patterns; five a page cost half a millisecond).
    try:
        resolve(path, urlconf)
    except Resolver404:
        return ""
    return path


@receiver(setting_changed)
def _urls_changed(*, setting: str, **kwargs) -> None:
    if setting == "ROOT_URLCONF":
        _answering.cache_clear()


@register.simple_tag(takes_context=True)
def nav_current(context, prefix: str) -> str:
    """aria-current on the main-menu link of the section the visitor is in."""
    request = context.get("request")
    if request is None:
        return ""
    path = request.path
    current = path == prefix if prefix == "/" else path.startswith(prefix)
    return mark_safe('aria-current="page"') if current else ""  # noqa: S308 - constant markup


@register.filter
def markdown(text: str) -> str:
    """User Markdown as sanitised HTML (the catalog's one renderer, nh3 allow-list)."""
    return mark_safe(render_markdown(text))  # noqa: S308 - sanitised by nh3


@register.simple_tag
def select_options(choices, selected: str) -> str:
    """The <option>s of a select over (value, label) pairs, the one equal to ``selected``
    (case ignored) selected: joined in Python, since a long menu looped over in the template
    language costs more than the rest of the page."""
    wanted = (selected or "").casefold()
    markup = getattr(choices, "markup", None)
    if markup is not None:
        return mark_safe(  # noqa: S308 - joined from format_html's escaped parts
            "".join(
                start + (" selected" if wanted and folded == wanted else "") + end
                for folded, start, end in markup
            )
        )
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        (
            (value, mark_safe(" selected") if wanted and value.casefold() == wanted else "", label)  # noqa: S308
            for value, label in choices
        ),
    )


@register.simple_tag
def filter_select(name: str, label: str, choices, selected: str) -> str:
    """A search form's filter menu (a DSFR select group named ``name``, id ``filter-<name>``):
    "All" first, then the choices (MenuOptions or (value, label) pairs), ``selected`` marked."""
    return format_html(
        '<div class="fr-select-group"><label class="fr-label" for="filter-{name}">{label}</label>'
        '<select class="fr-select" id="filter-{name}" name="{name}">'
        '<option value="">{all}</option>{options}</select></div>',
        name=name,
        label=label,
        all=gettext("All"),
        options=select_options(choices, selected),
    )


@register.filter
def web_url(value: str) -> str:
    """The address when it is an http(s) URL, else "": what a link's href may hold. Stored
    data is checked at ingestion; this is the second line, for every link to the outside."""
    return web_url_or_empty(value)


@register.simple_tag
def repository_cards(repositories, owners=None) -> str:
    """A page of repositories as DSFR cards in list items (see inventory.web.cards); with
    ``owners``, each card links its account and organisation."""
    return render_repository_cards(repositories, owners=owners)
