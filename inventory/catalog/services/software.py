"""Writes on software entries: proposal, edition and the observation → recommended → end workflow."""

from __future__ import annotations

import unicodedata
from typing import Any
from urllib.parse import urlsplit

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from inventory.catalog.licenses import license_check
from inventory.catalog.models import Category, Software, SoftwareStatus
from inventory.catalog.names import name_key, names_are_near
from inventory.catalog.services._base import (
    is_curator,
    require_agent,
    require_curator,
    save_validated,
)
from inventory.catalog.services.search_documents import software_search_documents_refresh
from inventory.core.exceptions import ApplicationError, PermissionDenied

# What an agent may set when proposing or editing an entry; the status, the SILL id, who added
# it and the dereferencing fields only change through the workflow services below.
EDITABLE_FIELDS = frozenset(
    {
        "name", "function", "description", "description_en", "long_description", "license",
        "homepage_url", "documentation_url", "source_url", "logo_url", "external_id",
        "external_data_origin", "comptoir_du_libre_id", "framalibre_id", "framalibre_name",
        "keywords", "component", "sector", "workgroup", "audience", "use_context", "label",
        "is_desktop", "os_windows", "os_linux", "os_mac", "os_android", "os_ios", "is_cloud",
        "is_stack", "version_min", "version_max", "latest_version", "parent",
        "proprietary_equivalents", "is_from_french_public_service", "is_in_support_contract",
        "respects_rgaa", "workshop_urls", "test_url", "formats",
    }
)  # fmt: skip


def name_fold(name: str) -> str:
    """Case-, accent- and spacing-insensitive form of a name, to spot duplicates."""
    decomposed = unicodedata.normalize("NFKD", name or "")
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(stripped.casefold().split())


def url_normalise(url: str) -> str:
    """A repository or site URL reduced to host and path: scheme, "www.", ".git", trailing
    slashes and case do not make two URLs different."""
    url = (url or "").strip()
    if not url:
        return ""
    try:
        parts = urlsplit(url if "://" in url else f"https://{url}")
    except ValueError:  # e.g. an unclosed IPv6 bracket: compare the text itself
        return url.lower().rstrip("/")
    host = (parts.hostname or "").lower().removeprefix("www.")
    path = parts.path.rstrip("/").removesuffix(".git").rstrip("/").lower()
    return f"{host}{path}"


def software_url(software: Software) -> str:
    return reverse("web:software_detail", kwargs={"slug": software.slug})


def software_find_duplicate(
    *, name: str = "", source_url: str = "", exclude_pk: int | None = None
) -> tuple[Software, str] | None:
    """The entry this one would duplicate, and why: ``"same_name"`` (the same name whatever its
    case, accents, spaces or punctuation), ``"same_source"`` (the same source repository) or
    ``"near_name"`` (a long name one typo away); the first two win over the third."""
    key, normalised = name_key(name), url_normalise(source_url)
    candidates = Software.objects.exclude(pk=exclude_pk).only("pk", "name", "slug", "source_url")
    near = None
    for candidate in candidates.iterator(chunk_size=500):
        candidate_key = name_key(candidate.name)
        if key and candidate_key == key:
            return candidate, "same_name"
        if normalised and url_normalise(candidate.source_url) == normalised:
            return candidate, "same_source"
        if near is None and names_are_near(key, candidate_key):
            near = candidate
    return (near, "near_name") if near is not None else None


DUPLICATE_MESSAGES = {
    "same_name": _lazy("« %(name)s » is already in the catalog."),
    "same_source": _lazy("« %(name)s » is already in the catalog with the same source repository."),
    "near_name": _lazy(
        "« %(name)s » is already in the catalog under a very close name: if it is the same "
        "software, declare yourself on its page instead."
    ),
}


def software_duplicate_refuse(*, name: str, source_url: str, exclude_pk: int | None = None) -> None:
    found = software_find_duplicate(name=name, source_url=source_url, exclude_pk=exclude_pk)
    if found is None:
        return
    existing, reason = found
    raise ApplicationError(
        str(DUPLICATE_MESSAGES[reason]) % {"name": existing.name},
        {
            "reason": reason,
            "existing_id": existing.pk,
            "existing_slug": existing.slug,
            "existing_name": existing.name,
            "existing_url": software_url(existing),
        },
    )


def software_unique_slug(name: str, *, exclude_pk: int | None = None) -> str:
    base = (slugify(name) or "logiciel")[:190]
    slug, counter = base, 2
    while Software.objects.filter(slug=slug).exclude(pk=exclude_pk).exists():
        slug, counter = f"{base}-{counter}", counter + 1
    return slug


def _checked_license(text: str) -> str:
    check = license_check(text)
    if not check.ok:
        raise ApplicationError(
            _(
                "The license must be a free license (OSI or FSF approved), as an SPDX "
                "expression such as “MIT” or “GPL-3.0-or-later”. %(problem)s"
            )
            % {"problem": check.problem},
            {"field": "license"},
        )
    return check.expression


def _apply_fields(software: Software, fields: dict[str, Any]) -> list[Category] | None:
    """Set editable fields on ``software``; returns the categories to set after saving."""
    unknown = set(fields) - EDITABLE_FIELDS - {"categories"}
    if unknown:
        raise ApplicationError(
            _("These fields cannot be set here: %(fields)s.")
            % {"fields": ", ".join(sorted(unknown))}
        )
    categories = fields.pop("categories", None)
    if "license" in fields:
        fields["license"] = _checked_license(fields["license"])
        software.license_raw = ""
        software.license_needs_review = False
        software.license_problem = ""
    if "parent" in fields:
        parent = fields["parent"]
        if parent is not None and software.pk is not None and parent.pk == software.pk:
            raise ApplicationError(_("A software cannot be its own parent."), {"field": "parent"})
        software.parent_raw = ""
    for field, value in fields.items():
        setattr(software, field, value.strip() if isinstance(value, str) else value)
    if categories is None:
        return None
    return list(categories)


@transaction.atomic
def software_propose(
    *,
    agent,
    name: str,
    function: str = "",
    description: str = "",
    license: str = "",
    homepage_url: str = "",
    source_url: str = "",
    **fields: Any,
) -> Software:
    """An agent proposes a new entry; curators accept it into observation or recommendation."""
    require_agent(agent)
    name = (name or "").strip()
    if not name:
        raise ApplicationError(_("A software needs a name."), {"field": "name"})
    software_duplicate_refuse(name=name, source_url=source_url)
    software = Software(
        name=name,
        slug=software_unique_slug(name),
        status=SoftwareStatus.PROPOSED,
        added_by=agent,
    )
    categories = _apply_fields(
        software,
        {
            "function": function,
            "description": description,
            "license": license,
            "homepage_url": homepage_url,
            "source_url": source_url,
            **fields,
        },
    )
    save_validated(software, actor=agent)
    if categories is not None:
        software.categories.set(categories)
    software_search_documents_refresh(software_ids=[software.pk])
    return software


@transaction.atomic
def software_update(*, actor, software: Software, **fields: Any) -> Software:
    """The agent who added an entry, or a curator, edits it."""
    require_agent(actor)
    if not is_curator(actor) and software.added_by_id != actor.pk:
        raise PermissionDenied(_("You can only edit the software you added."))
    software = Software.objects.select_for_update().get(pk=software.pk)
    new_name = (fields.get("name") or software.name).strip()
    if "name" in fields or "source_url" in fields:
        software_duplicate_refuse(
            name=new_name if "name" in fields else "",
            source_url=fields.get("source_url", ""),
            exclude_pk=software.pk,
        )
    categories = _apply_fields(software, dict(fields))
    if "name" in fields and not new_name:
        raise ApplicationError(_("A software needs a name."), {"field": "name"})
    save_validated(software, actor=actor)
    if categories is not None:
        software.categories.set(categories)
    software_search_documents_refresh(software_ids=[software.pk])
    return software


def _require_free_license(software: Software) -> None:
    check = license_check(software.license)
    if not check.ok:
        raise ApplicationError(
            _(
                "« %(name)s » cannot enter the catalog until its license is a free "
                "license (OSI or FSF approved). %(problem)s"
            )
            % {"name": software.name, "problem": check.problem},
            {"field": "license"},
        )


def _require_referent(software: Software) -> None:
    if not software.referents.exists():
        raise ApplicationError(
            _(
                "« %(name)s » can be recommended only while it has at least one referent "
                "(a user is not enough)."
            )
            % {"name": software.name}
        )


def _mark_recommended(software: Software) -> None:
    software.status = SoftwareStatus.RECOMMENDED
    software.needs_referent = False
    software.dereferencing_reason = ""
    software.dereferenced_at = None


def _record_in_catalog(software: Software) -> None:
    now = timezone.now()
    software.referenced_since = software.referenced_since or now
    if now.year not in software.catalog_years:
        software.catalog_years = [*software.catalog_years, now.year]


@transaction.atomic
def software_accept(
    *, curator, software: Software, status: str = SoftwareStatus.OBSERVATION
) -> Software:
    """A curator accepts a proposal into observation, or straight into recommendation."""
    require_curator(curator)
    if status not in (SoftwareStatus.OBSERVATION, SoftwareStatus.RECOMMENDED):
        raise ApplicationError(_("A proposal is accepted into observation or recommendation."))
    software = Software.objects.select_for_update().get(pk=software.pk)
    if software.status != SoftwareStatus.PROPOSED:
        raise ApplicationError(
            _("« %(name)s » is not a proposal waiting for acceptance.") % {"name": software.name}
        )
    _require_free_license(software)
    if status == SoftwareStatus.RECOMMENDED:
        _require_referent(software)
        _mark_recommended(software)
    else:
        software.status = SoftwareStatus.OBSERVATION
    _record_in_catalog(software)
    save_validated(software, actor=curator)
    return software


@transaction.atomic
def software_recommend(*, curator, software: Software) -> Software:
    """A curator recommends an entry; it needs a free license and at least one referent."""
    require_curator(curator)
    software = Software.objects.select_for_update().get(pk=software.pk)
    if software.status == SoftwareStatus.RECOMMENDED:
        raise ApplicationError(_("« %(name)s » is already recommended.") % {"name": software.name})
    _require_free_license(software)
    _require_referent(software)
    _mark_recommended(software)
    _record_in_catalog(software)
    save_validated(software, actor=curator)
    return software


@transaction.atomic
def software_dereference(
    *, curator, software: Software, reason: str, last_recommended_version: str = ""
) -> Software:
    """A curator ends the recommendation, saying why; the entry stays, marked as such."""
    require_curator(curator)
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError(_("Say why the recommendation ends."), {"field": "reason"})
    software = Software.objects.select_for_update().get(pk=software.pk)
    if software.status == SoftwareStatus.DEREFERENCED:
        raise ApplicationError(
            _("« %(name)s » is already out of the recommendation.") % {"name": software.name}
        )
    software.status = SoftwareStatus.DEREFERENCED
    software.dereferencing_reason = reason
    software.dereferenced_at = timezone.now()
    software.last_recommended_version = (
        last_recommended_version.strip() or software.version_max or software.version_min
    )
    software.needs_referent = False
    save_validated(software, actor=curator)
    return software
