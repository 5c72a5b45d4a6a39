"""Reads about agents: the e-mail allow-list, what a sign-in link stands for, memberships."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.db.models import Q, QuerySet
from django.utils.text import slugify
from sesame.utils import get_user as sesame_get_user

from inventory.agents.addresses import domain_and_parents, email_normalise
from inventory.agents.models import (
    Agent,
    EmailDomain,
    Membership,
    MembershipSource,
    MembershipStatus,
)
from inventory.organisations.models import Organisation, OrganisationStatus

# Salt of the signed tokens in first sign-in links (no Agent exists yet for django-sesame).
FIRST_SIGNIN_SALT = "inventory.agents.first-signin"


def email_domain_is_allowed(email: str) -> bool:
    """Whether the address is a plain address whose domain, or a parent of it, is allowed."""
    normalised = email_normalise(email)
    if normalised is None:
        return False
    domain = normalised.rpartition("@")[2]
    return EmailDomain.objects.filter(domain__in=domain_and_parents(domain), active=True).exists()


@dataclass(frozen=True)
class SignInTicket:
    """What a valid sign-in link stands for: an existing agent, or an address signing in first."""

    email: str
    agent: Agent | None


def signin_ticket_get(*, token: str) -> SignInTicket | None:
    """The ticket a link's token stands for, or None if forged, expired, used or no longer allowed.

    Reading a ticket does not use it up, so a mail scanner opening the link signs nobody in.
    """
    if not isinstance(token, str) or not token:
        return None
    if ":" in token:
        # django.core.signing's format: a first sign-in, usable while the address has no agent.
        try:
            email = signing.loads(token, salt=FIRST_SIGNIN_SALT, max_age=settings.SESAME_MAX_AGE)
        except signing.BadSignature:
            return None
        if not isinstance(email, str) or Agent.objects.filter(email=email).exists():
            return None
        agent = None
    else:
        agent = sesame_get_user(token, update_last_login=False)
        if agent is None:
            return None
        email = agent.email
    if not email_domain_is_allowed(email):
        return None
    return SignInTicket(email=email, agent=agent)


def organisation_for_email(email: str) -> Organisation | None:
    """The validated organisation the most specific allowed domain of the address maps to."""
    normalised = email_normalise(email)
    if normalised is None:
        return None
    domains = domain_and_parents(normalised.rpartition("@")[2])
    mapped = {
        row.domain: row.organisation
        for row in EmailDomain.objects.filter(
            domain__in=domains,
            active=True,
            organisation__status=OrganisationStatus.VALIDATED,
        ).select_related("organisation")
    }
    return next((mapped[domain] for domain in domains if domain in mapped), None)


def organisation_for_siret(siret: str) -> Organisation | None:
    """The organisation an approved agent of the same SIRET (vouched by ProConnect) belongs to."""
    if not siret:
        return None
    membership = (
        Membership.objects.filter(
            agent__siret=siret,
            status=MembershipStatus.APPROVED,
            organisation__status=OrganisationStatus.VALIDATED,
        )
        .select_related("organisation")
        .order_by("decided_at", "pk")
        .first()
    )
    return membership.organisation if membership else None


def organisation_derived(agent: Agent) -> tuple[Organisation | None, str]:
    """The organisation the agent's identity proves (SIRET first, then e-mail domain), and how."""
    organisation = organisation_for_siret(agent.siret)
    if organisation is not None:
        return organisation, MembershipSource.SIRET
    organisation = organisation_for_email(agent.email)
    if organisation is not None:
        return organisation, MembershipSource.DOMAIN
    return None, ""


def membership_is_approved(*, agent: Agent, organisation_id: int | None) -> bool:
    if organisation_id is None or not getattr(agent, "is_authenticated", False):
        return False
    return Membership.objects.filter(
        agent=agent, organisation_id=organisation_id, status=MembershipStatus.APPROVED
    ).exists()


def approved_organisation_ids(*, agent: Agent) -> frozenset[int]:
    """The organisations ``agent`` is an approved member of (one query)."""
    if not getattr(agent, "is_authenticated", False):
        return frozenset()
    return frozenset(
        Membership.objects.filter(agent=agent, status=MembershipStatus.APPROVED).values_list(
            "organisation_id", flat=True
        )
    )


def membership_get(*, agent: Agent, organisation_id: int) -> Membership | None:
    return Membership.objects.filter(agent=agent, organisation_id=organisation_id).first()


def agent_memberships(*, agent: Agent) -> QuerySet[Membership]:
    return Membership.objects.filter(agent=agent).select_related("organisation", "decided_by")


def membership_requests_for(*, agent: Agent) -> QuerySet[Membership]:
    """Pending requests to join the organisations the agent is an approved member of."""
    organisations = Membership.objects.filter(agent=agent, status=MembershipStatus.APPROVED).values(
        "organisation_id"
    )
    return (
        Membership.objects.filter(
            organisation_id__in=organisations, status=MembershipStatus.PENDING
        )
        .exclude(agent=agent)
        .select_related("agent", "organisation")
        .order_by("created_at", "pk")
    )


def organisation_search(*, query: str, agent: Agent | None = None, limit: int = 10):
    """Organisations whose name or acronym holds every word of ``query`` (accents and case
    aside): the validated ones, and the pending ones the agent asked for (nobody else sees
    them); exact names and acronyms first, then the shortest names.

    Organisations are hundreds to a few thousand: their names are folded here, the same way on
    every database.
    """
    words = [word for word in slugify(query).split("-") if word]
    if not words:
        return []
    visible = Q(status=OrganisationStatus.VALIDATED)
    if agent is not None and getattr(agent, "is_authenticated", False):
        visible |= Q(status=OrganisationStatus.PENDING, memberships__agent=agent)
    folded = "-".join(words)
    ranked = []
    for pk, name, acronym in (
        Organisation.objects.filter(visible).distinct().values_list("pk", "name", "acronym")
    ):
        text = f"{slugify(name)}-{slugify(acronym)}"
        if all(word in text for word in words):
            exact = folded in {slugify(name), slugify(acronym)}
            ranked.append((not exact, len(name), name, pk))
    ranked.sort()
    pks = [pk for *_rest, pk in ranked[:limit]]
    by_pk = Organisation.objects.only("id", "name", "acronym", "slug", "status").in_bulk(pks)
    return [by_pk[pk] for pk in pks]


def organisation_exact(*, name: str, agent: Agent | None = None) -> Organisation | None:
    """The organisation named (or abbreviated) exactly ``name``, accents and case aside."""
    folded = slugify(name)
    if not folded:
        return None
    for organisation in organisation_search(query=name, agent=agent, limit=200):
        if folded in {slugify(organisation.name), slugify(organisation.acronym)}:
            return organisation
    return None
