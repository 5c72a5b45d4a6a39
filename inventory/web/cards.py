"""The repository card of /code/ and of an account's page, rendered in Python.

A page shows 20 of them; through the template language (an include, five translations with
plurals, four URLs and three filters per card) they were about half of the page's CPU time. The
markup is the DSFR card that templates/inventory/includes/repository_item.html had, the
strings the same translations.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import quote

from django.urls import reverse
from django.utils import formats
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from crawlers.normalize import web_url
from inventory.forges.models import Repository

DESCRIPTION_CHARS = 240
TOPICS_SHOWN = 8
BADGE = '<li><p class="fr-badge fr-badge--sm fr-badge--{} fr-badge--no-icon">{}</p></li>'


def _badges(repository: Repository) -> SafeString:
    badges = []
    if repository.is_fork:
        badges.append(("info", _("Fork")))
    if repository.is_archived:
        badges.append(("warning", _("Archived")))
    if repository.has_publiccode:
        badges.append(("success", "publiccode.yml"))
    return format_html_join("", BADGE, badges)


def _details(repository: Repository) -> SafeString:
    parts = []
    if repository.language:
        parts.append(format_html('<span class="inventory-language">{}</span>', repository.language))
    if repository.license_spdx:
        parts.append(repository.license_spdx)
    stars, forks = repository.stars, repository.forks
    parts.append(ngettext("%(counter)s star", "%(counter)s stars", stars) % {"counter": stars})
    parts.append(ngettext("%(counter)s fork", "%(counter)s forks", forks) % {"counter": forks})
    if repository.pushed_at:
        date = formats.date_format(localtime(repository.pushed_at), "DATE_FORMAT")
        parts.append(_("last push on %(date)s") % {"date": date})
    if repository.reuse_score is not None:
        parts.append(_("reuse score %(score)s") % {"score": repository.reuse_score})
    return format_html_join(" · ", "{}", ((part,) for part in parts))


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


def _links(repository: Repository, show_account: bool, urls: _Urls) -> SafeString:
    links = [
        format_html(
            '<a class="inventory-dependencies-link" href="{}">{}</a>',
            urls.of(urls.dependencies, repository.pk),
            _("Dependencies"),
        )
    ]
    if show_account:
        account = repository.account
        links.append(
            format_html(
                '<a class="inventory-account-link" href="{}">{}</a>',
                urls.of(urls.account, repository.account_id),
                account.display_name,
            )
        )
        if account.organisation:
            links.append(
                format_html(
                    '<a href="{}">{}</a>',
                    urls.of(urls.organisation, account.organisation.slug),
                    account.organisation.name,
                )
            )
    return format_html_join(" · ", "{}", ((link,) for link in links))


def _topics(repository: Repository, code_url: str) -> SafeString:
    if not repository.topics:
        return mark_safe("")  # noqa: S308 - empty
    return format_html(
        '<ul class="fr-tags-group fr-mt-1w">{}</ul>',
        format_html_join(
            "",
            '<li><a class="fr-tag fr-tag--sm" href="{}?topic={}">{}</a></li>',
            # quote(…, safe="/"): what the template's urlencode filter gave.
            (
                (code_url, quote(topic, safe="/"), topic)
                for topic in repository.topics[:TOPICS_SHOWN]
            ),
        ),
    )


def repository_card(repository: Repository, *, show_account: bool, urls: _Urls) -> SafeString:
    """One repository as a DSFR card (its account and organisation linked if ``show_account``)."""
    url = web_url(repository.html_url)
    title = (
        format_html('<a href="{}" rel="noopener nofollow">{}</a>', url, repository.full_name)
        if url
        else repository.full_name
    )
    description = (
        format_html(
            '<p class="fr-card__desc">{}</p>',
            Truncator(repository.description).chars(DESCRIPTION_CHARS),
        )
        if repository.description
        else ""
    )
    return format_html(
        '<article class="fr-card inventory-repository" aria-labelledby="repository-{pk}">'
        '<div class="fr-card__body"><div class="fr-card__content">'
        '<h3 class="fr-card__title" id="repository-{pk}">{title}</h3>{description}'
        '<div class="fr-card__start"><ul class="fr-badges-group">{badges}</ul></div>'
        '<div class="fr-card__end"><p class="fr-card__detail">{details}</p>'
        '<p class="fr-card__detail">{links}</p>{topics}</div>'
        "</div></div></article>",
        pk=repository.pk,
        title=title,
        description=description,
        badges=_badges(repository),
        details=_details(repository),
        links=_links(repository, show_account, urls),
        topics=_topics(repository, urls.code),
    )


def repository_cards(repositories: Iterable[Repository], *, show_account: bool) -> SafeString:
    """The cards of a page of repositories, each in the list item the pages show them in."""
    urls = _Urls()
    return format_html_join(
        "",
        '<li class="fr-mb-3w">{}</li>',
        (
            (repository_card(repository, show_account=show_account, urls=urls),)
            for repository in repositories
        ),
    )
