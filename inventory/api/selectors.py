"""Catalog reads shaped for the API: public fields, counts by organisation, and only the
identities their owners made public."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet

from inventory.catalog.models import (
    Comment,
    Instance,
    ReferentDeclaration,
    Software,
    SoftwareStatus,
    UserDeclaration,
)
from inventory.catalog.selectors import (
    LISTED_STATUSES,
    SoftwareFilters,
    software_list,
    software_visible_q,
)


def _instances() -> Prefetch:
    return Prefetch(
        "instances",
        queryset=Instance.objects.select_related("organisation", "software").order_by(
            "organisation__name", "pk"
        ),
    )


def software_api_list(*, filters: dict[str, Any]) -> QuerySet[Software]:
    """Listed software with counts, categories and instances, ordered stably."""
    known = {
        name: value
        for name, value in filters.items()
        if name in {"q", "status", "category", "organisation", "license", "sort", "os"}
    }
    if "type" in filters:
        known["software_type"] = filters["type"]
    return software_list(filters=SoftwareFilters(**known)).prefetch_related(_instances())


def software_api_get(*, slug: str, viewer) -> Software | None:
    """A software ``viewer`` may see (a proposal only by its author and curators: the site's
    rule, ``software_visible_q``), with counts and instances."""
    status = (
        Software.objects.filter(software_visible_q(viewer), slug=slug)
        .values_list("status", flat=True)
        .first()
    )
    if status is None:
        return None
    return (
        software_list(filters=SoftwareFilters(status=status))
        .filter(slug=slug)
        .prefetch_related(
            _instances(),
            Prefetch(
                "referents",
                queryset=ReferentDeclaration.objects.select_related("agent", "organisation"),
            ),
            Prefetch(
                "users", queryset=UserDeclaration.objects.select_related("agent", "organisation")
            ),
        )
        .first()
    )


@dataclass(frozen=True)
class OrganisationCounts:
    organisation: Any
    referent_count: int
    user_count: int


@dataclass(frozen=True)
class PublicContact:
    organisation: Any
    name: str
    email: str
    is_technical_expert: bool


def software_public_declarations(
    software: Software,
) -> tuple[list[OrganisationCounts], list[PublicContact]]:
    """Counts by organisation, and the contacts of agents who chose to be public."""
    counts: dict[int, list] = {}
    contacts: list[PublicContact] = []
    for role, declarations in (
        ("referent", software.referents.all()),
        ("user", software.users.all()),
    ):
        for declaration in declarations:
            entry = counts.setdefault(declaration.organisation_id, [declaration.organisation, 0, 0])
            entry[1 if role == "referent" else 2] += 1
            agent = declaration.agent
            if agent.contact_public:
                contacts.append(
                    PublicContact(
                        organisation=declaration.organisation,
                        name=agent.get_full_name() or agent.email,
                        email=agent.email,
                        is_technical_expert=getattr(declaration, "is_technical_expert", False),
                    )
                )
    organisations = sorted(
        (OrganisationCounts(org, referents, users) for org, referents, users in counts.values()),
        key=lambda item: (item.organisation.name.casefold(), item.organisation.pk),
    )
    contacts.sort(key=lambda contact: (contact.organisation.name.casefold(), contact.email))
    return organisations, contacts


def agent_declarations(*, agent) -> list[ReferentDeclaration | UserDeclaration]:
    """The agent's own referent and user declarations, as the API lists them."""
    rows: list[ReferentDeclaration | UserDeclaration] = []
    for role, model in (("referent", ReferentDeclaration), ("user", UserDeclaration)):
        for declaration in model.objects.filter(agent=agent).select_related(
            "software", "organisation"
        ):
            declaration.role = role
            rows.append(declaration)
    rows.sort(key=lambda declaration: (declaration.software.name.casefold(), declaration.role))
    return rows


def comment_public_list(*, software: Software) -> QuerySet[Comment]:
    return (
        Comment.objects.filter(software=software, is_hidden=False)
        .select_related("author", "software")
        .order_by("created_at", "pk")
    )


def software_for_write(*, slug: str) -> Software | None:
    """The software an agent declares on: listed ones, or a proposal (the service decides)."""
    return Software.objects.filter(slug=slug).first()


def instance_list() -> QuerySet[Instance]:
    """Instances of public catalog software."""
    return (
        Instance.objects.filter(software__status__in=LISTED_STATUSES)
        .select_related("organisation", "software")
        .order_by("software__name", "organisation__name", "pk")
    )


def instance_get(*, pk: int) -> Instance | None:
    return Instance.objects.select_related("organisation", "software").filter(pk=pk).first()


def comment_get(*, pk: int) -> Comment | None:
    return (
        Comment.objects.select_related("author", "software")
        .filter(pk=pk, is_hidden=False)
        .exclude(software__status=SoftwareStatus.PROPOSED)
        .first()
    )
