"""Atom feeds: new repositories, and catalog changes (additions and ends of recommendation)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from django.contrib.syndication.views import Feed
from django.db.models import F
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from inventory.catalog.models import Software, SoftwareStatus
from inventory.forges.models import Repository

FEED_LENGTH = 50
# Characters XML 1.0 cannot carry (a forge may send them): dropped, or the feed could not be built.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(value: str | None) -> str | None:
    return _NOT_XML.sub("", value) if value else value


class TextAtom1Feed(Atom1Feed):
    """Atom whose titles and summaries are plain text: a forge's or an agent's markup is shown
    as typed, never rendered by feed readers (Django's Atom1Feed labels summaries as HTML)."""

    def add_item(self, title, link, description, **kwargs):
        super().add_item(xml_text(title), link, xml_text(description), **kwargs)

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, {**item, "description": None})
        if item["description"] is not None:
            handler.addQuickElement("summary", item["description"], {"type": "text"})


class RepositoriesFeed(Feed):
    feed_type = TextAtom1Feed
    title = "Logithèque — new public-sector repositories"
    subtitle = "Repositories found by the latest crawls, newest first."

    link = "/"

    def items(self):
        return (
            Repository.objects.filter(gone_at__isnull=True)
            .select_related("forge")
            .order_by("-first_seen_at", "-pk")[:FEED_LENGTH]
        )

    def item_title(self, item: Repository) -> str:
        return f"{item.forge.host}/{item.full_name}"

    def item_description(self, item: Repository) -> str:
        details = [item.description or "", item.language, item.license_spdx]
        return " — ".join(detail for detail in details if detail)

    def item_link(self, item: Repository) -> str:
        return item.html_url

    def item_guid(self, item: Repository) -> str:
        return f"repository:{item.forge.host}:{item.remote_id}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: Repository) -> datetime:
        return item.first_seen_at

    def item_updateddate(self, item: Repository) -> datetime:
        return item.last_seen_at


@dataclass(frozen=True)
class CatalogEvent:
    kind: str
    software: Software
    moment: datetime


class CatalogFeed(Feed):
    feed_type = TextAtom1Feed
    title = "Logithèque — catalog changes"
    subtitle = "Software added to the catalog and ends of recommendation."

    link = "/"

    def items(self) -> list[CatalogEvent]:
        listed = Software.objects.exclude(status=SoftwareStatus.PROPOSED)
        added = [
            CatalogEvent("added", software, software.referenced_since or software.created_at)
            for software in listed.order_by(
                F("referenced_since").desc(nulls_last=True), "-created_at", "-pk"
            )[:FEED_LENGTH]
        ]
        dereferenced = [
            CatalogEvent("dereferenced", software, software.dereferenced_at)
            for software in listed.filter(
                status=SoftwareStatus.DEREFERENCED, dereferenced_at__isnull=False
            ).order_by("-dereferenced_at", "-pk")[:FEED_LENGTH]
        ]
        events = sorted(
            added + dereferenced, key=lambda event: (event.moment, event.software.pk), reverse=True
        )
        return events[:FEED_LENGTH]

    def item_title(self, item: CatalogEvent) -> str:
        if item.kind == "added":
            return f"Added to the catalog: {item.software.name}"
        return f"End of recommendation: {item.software.name}"

    def item_description(self, item: CatalogEvent) -> str:
        if item.kind == "dereferenced":
            return item.software.dereferencing_reason or item.software.function
        return item.software.function or item.software.description

    def item_link(self, item: CatalogEvent) -> str:
        return reverse("web:software_detail", kwargs={"slug": item.software.slug})

    def item_guid(self, item: CatalogEvent) -> str:
        return f"software:{item.software.pk}:{item.kind}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: CatalogEvent) -> datetime:
        return item.moment
