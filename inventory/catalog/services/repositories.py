"""Links from catalog entries to the inventory's repositories, by their source URL."""

from __future__ import annotations

from django.db import transaction

from inventory.catalog.models import Software
from inventory.catalog.services.software import url_normalise
from inventory.forges.models import Repository

LINK_REASON = "link to the inventory's repository"


def repositories_by_url() -> dict[str, int]:
    """Live repositories by normalised web address (the first one when two share it)."""
    by_url: dict[str, int] = {}
    rows = Repository.objects.filter(gone_at__isnull=True).values_list("pk", "html_url")
    for pk, html_url in rows.order_by("pk").iterator(chunk_size=2000):
        by_url.setdefault(url_normalise(html_url), pk)
    return by_url


@transaction.atomic
def software_repositories_link() -> int:
    """Point each entry whose source URL is a repository of the inventory at it, and return how
    many changed. Run after a crawl: an import made before it found none of them, and the next
    import then finds them already linked instead of reporting every such entry as updated."""
    by_url = repositories_by_url()
    changed = 0
    entries = Software.objects.exclude(source_url="").only("pk", "source_url", "repository_id")
    for software in entries.iterator(chunk_size=500):
        repository_id = by_url.get(url_normalise(software.source_url))
        if repository_id is None or repository_id == software.repository_id:
            continue
        software.repository_id = repository_id
        software._change_reason = LINK_REASON
        software.save(update_fields=["repository"])
        changed += 1
    return changed
