"""Template tags the catalog pages include: an entry's enrichment panel and its logo."""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import get_language

from inventory.catalog.models import Software
from inventory.enrichment.selectors import logo_ids, software_enrichment

register = template.Library()


@register.inclusion_tag("enrichment/software_panel.html", takes_context=True)
def enrichment_panel(context, software: Software) -> dict:
    """What the sources say about the entry, each fact with its provenance."""
    return {
        "software": software,
        "enrichment": software_enrichment(software=software, language=get_language() or "fr"),
        "request": context.get("request"),
    }


@register.simple_tag(takes_context=True)
def software_logo(context, software: Software, size: int = 64) -> str:
    """The entry's logo served from our origin, or a placeholder with its initial."""
    request = context.get("request")
    # One query per page for every card: the ids of the entries that have a logo.
    ids = getattr(request, "_software_logo_ids", None) if request is not None else None
    if ids is None:
        ids = logo_ids()
        if request is not None:
            request._software_logo_ids = ids
    if software.pk in ids:
        return format_html(
            '<img class="enrichment-logo enrichment-logo--{}" src="{}" alt="" width="{}" '
            'height="{}" loading="lazy">',
            size,
            reverse("enrichment:software_logo", kwargs={"software_id": software.pk}),
            size,
            size,
        )
    initial = (software.name or "?").strip()[:1].upper() or "?"
    return format_html(
        '<span class="enrichment-logo enrichment-logo--placeholder enrichment-logo--{}" '
        'aria-hidden="true">{}</span>',
        size,
        initial,
    )
