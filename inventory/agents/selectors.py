"""Reads about agents: the e-mail allow-list and what a sign-in link stands for."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from sesame.utils import get_user as sesame_get_user

from inventory.agents.addresses import domain_and_parents, email_normalise
from inventory.agents.models import Agent, EmailDomain
from inventory.organisations.models import Organisation

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


def organisation_choices():
    """Organisations an agent may say they belong to."""
    return Organisation.objects.only("id", "name", "acronym").order_by("name")
