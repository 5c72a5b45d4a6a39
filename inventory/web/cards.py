"""The repository card of /code/ and of an account's page, rendered in Python.

A page shows 20 of them; through the template language (an include, five translations with
plurals, four URLs and three filters per card) they were about half of the page's CPU time. The
markup is the DSFR card that templates/inventory/includes/repository_item.html had, the
strings the same translations.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape
from urllib.parse import quote

from django.urls import reverse
from django.utils import formats
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from crawlers.normalize import web_url
from inventory.forges.models import Repository
from inventory.forges.selectors import RepositoryOwner

# What a card shows of a repository: pages read only these columns.
CARD_FIELDS = (
    "id", "account_id", "html_url", "full_name", "description", "is_fork", "is_archived",
    "has_publiccode", "language", "license_spdx", "stars", "forks", "pushed_at", "reuse_score",
    "topics",
)  # fmt: skip
DESCRIPTION_CHARS = 240
TOPICS_SHOWN = 8
BADGE = '<li><p class="fr-badge fr-badge--sm fr-badge--{} fr-badge--no-icon">{}</p></li>'


def _badges(repository: Repository) -> str:
    badges = []
    if repository.is_fork:
        badges.append(BADGE.format("info", escape(_("Fork"))))
    if repository.is_archived:
        badges.append(BADGE.format("warning", escape(_("Archived"))))
    if repository.has_publiccode:
        badges.append(BADGE.format("success", "publiccode.yml"))
    return "".join(badges)


def _details(repository: Repository) -> str:
    parts = []
    if repository.language:
        parts.append(f'<span class="inventory-language">{escape(repository.language)}</span>')
    if repository.license_spdx:
        parts.append(escape(repository.license_spdx))
    stars, forks = repository.stars, repository.forks
    parts.append(
        escape(ngettext("%(counter)s star", "%(counter)s stars", stars) % {"counter": stars})
    )
    parts.append(
        escape(ngettext("%(counter)s fork", "%(counter)s forks", forks) % {"counter": forks})
    )
    if repository.pushed_at:
        date = formats.date_format(localtime(repository.pushed_at), "DATE_FORMAT")
        parts.append(escape(_("last push on %(date)s") % {"date": date}))
    if repository.reuse_score is not None:
        parts.append(escape(_("reuse score %(score)s") % {"score": repository.reuse_score}))
    return " · ".join(parts)


class _Urls:
    """The cards' link targets, each reversed once per page: a URL with a sentinel argument,
    then the sentinel replaced (reversing 60 URLs a page cost more than the rest of a card)."""

    PK = 987654321
    SLUG = "sentinel-slug"

    def __init__(self) -> None:
        self.dependencies = reverse("web:repository_dependencies", args=[self.PK])
        self.account = reverse("web:account_detail", args=[self.PK])
        self.organisation = reverse("web:organisation_detail", args=[self.SLUG])
        self.code = reverse("web:repository_list")

    def of(self, template: str, value) -> str:
        sentinel = str(self.PK) if isinstance(value, int) else self.SLUG
        return template.replace(sentinel, str(value) if isinstance(value, int) else quote(value))


def _links(repository: Repository, owner: RepositoryOwner | None, urls: _Urls) -> str:
    links = [
        f'<a class="inventory-dependencies-link" '
        f'href="{escape(urls.of(urls.dependencies, repository.pk))}">{escape(_("Dependencies"))}</a>'
    ]
    if owner is not None:
        links.append(
            f'<a class="inventory-account-link" '
            f'href="{escape(urls.of(urls.account, repository.account_id))}">'
            f"{escape(owner.display_name)}</a>"
        )
        if owner.organisation_slug:
            links.append(
                f'<a href="{escape(urls.of(urls.organisation, owner.organisation_slug))}">'
                f"{escape(owner.organisation_name)}</a>"
            )
    return " · ".join(links)


def _topics(repository: Repository, code_url: str) -> str:
    if not repository.topics:
        return ""
    # quote(…, safe="/"): what the template's urlencode filter gave.
    items = "".join(
        f'<li><a class="fr-tag fr-tag--sm" href="{escape(code_url)}?topic='
        f'{escape(quote(topic, safe="/"))}">{escape(topic)}</a></li>'
        for topic in repository.topics[:TOPICS_SHOWN]
    )
    return f'<ul class="fr-tags-group fr-mt-1w">{items}</ul>'


def repository_card(repository: Repository, *, owner: RepositoryOwner | None, urls: _Urls) -> str:
    """One repository as a DSFR card (its account and organisation linked if ``owner`` is given),
    as markup: every value it shows is escaped here."""
    url = web_url(repository.html_url)
    name = escape(repository.full_name)
    title = f'<a href="{escape(url)}" rel="noopener nofollow">{name}</a>' if url else name
    description = (
        f'<p class="fr-card__desc">'
        f"{escape(Truncator(repository.description).chars(DESCRIPTION_CHARS))}</p>"
        if repository.description
        else ""
    )
    pk = int(repository.pk)
    return (
        f'<article class="fr-card inventory-repository" aria-labelledby="repository-{pk}">'
        '<div class="fr-card__body"><div class="fr-card__content">'
        f'<h3 class="fr-card__title" id="repository-{pk}">{title}</h3>{description}'
        f'<div class="fr-card__start"><ul class="fr-badges-group">{_badges(repository)}</ul></div>'
        f'<div class="fr-card__end"><p class="fr-card__detail">{_details(repository)}</p>'
        f'<p class="fr-card__detail">{_links(repository, owner, urls)}</p>'
        f"{_topics(repository, urls.code)}</div>"
        "</div></div></article>"
    )


def repository_cards(
    repositories: Iterable[Repository], *, owners: dict[int, RepositoryOwner] | None = None
) -> SafeString:
    """The cards of a page of repositories, each in the list item the pages show them in; with
    ``owners`` (``forges.selectors.repository_owners``), each links its account and organisation."""
    urls = _Urls()
    return mark_safe(  # noqa: S308 - every value is escaped by repository_card
        "".join(
            '<li class="fr-mb-3w">'
            + repository_card(
                repository,
                owner=owners.get(repository.account_id) if owners is not None else None,
                urls=urls,
            )
            + "</li>"
            for repository in repositories
        )
    )
