"""Writes about agents: the allow-list import, sign-in links, ProConnect sign-in, profiles and
memberships of organisations."""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from sesame.utils import get_token

from inventory.agents.addresses import domain_normalise, email_normalise
from inventory.agents.models import (
    Agent,
    EmailDomain,
    Membership,
    MembershipSource,
    MembershipStatus,
)
from inventory.agents.selectors import (
    FIRST_SIGNIN_SALT,
    email_domain_is_allowed,
    membership_is_approved,
    organisation_derived,
    signin_ticket_get,
)
from inventory.core.content import content_changed
from inventory.core.exceptions import ApplicationError, PermissionDenied
from inventory.organisations.models import Organisation, OrganisationStatus
from inventory.organisations.services import organisation_propose

logger = logging.getLogger(__name__)

DEFAULT_EMAIL_DOMAINS_DIR = Path(__file__).resolve().parent / "data"


def refused_address_message() -> str:
    return _(
        "Only addresses of the French public sector (State, local authorities, public bodies, "
        "academies, universities, hospitals) can sign in, and this one is not on the list. Use "
        "your professional address; if your public body is missing, ask the site's curators."
    )


@dataclass
class EmailDomainsImportReport:
    created: int = 0
    unchanged: int = 0
    invalid: list[tuple[str, int, str]] = field(default_factory=list)  # (file name, line, text)


def email_domains_import(
    *, directory: Path = DEFAULT_EMAIL_DOMAINS_DIR
) -> EmailDomainsImportReport:
    """Add every domain of the ``*.txt`` lists in ``directory`` (one a line, ``#`` comments).

    Each file's name is the ``source`` of the domains it brings. Domains already present are
    left as they are, so curators' changes (deactivation, notes) survive a second run.
    """
    files = sorted(Path(directory).glob("*.txt"))
    if not files:
        raise ApplicationError(_("No *.txt domain list in %(dir)s.") % {"dir": directory})
    report = EmailDomainsImportReport()
    sources: dict[str, str] = {}
    for path in files:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            text = line.split("#", 1)[0].strip()
            if not text:
                continue
            domain = domain_normalise(text)
            if domain is None:
                report.invalid.append((path.name, number, line))
                continue
            sources.setdefault(domain, path.stem)
    with transaction.atomic():
        existing = set(
            EmailDomain.objects.filter(domain__in=list(sources)).values_list("domain", flat=True)
        )
        EmailDomain.objects.bulk_create(
            [
                EmailDomain(domain=domain, source=source)
                for domain, source in sources.items()
                if domain not in existing
            ],
            batch_size=500,
            ignore_conflicts=True,
        )
    report.unchanged = len(existing)
    report.created = len(sources) - len(existing)
    return report


def signin_link_send(*, email: str, base_url: str, next_url: str = "") -> None:
    """E-mail a short-lived, single-use sign-in link to an allowed address.

    Whether the address already has an agent never shows in the outcome; a deactivated agent
    gets no link.
    """
    normalised = email_normalise(email)
    if normalised is None:
        raise ApplicationError(_("Enter a valid e-mail address."))
    if not email_domain_is_allowed(normalised):
        raise ApplicationError(refused_address_message())
    agent = Agent.objects.filter(email=normalised).first()
    if agent is None:
        token = signing.dumps(normalised, salt=FIRST_SIGNIN_SALT, compress=False)
    elif agent.is_active:
        token = get_token(agent)
    else:
        return
    link = base_url.rstrip("/") + reverse("agents:login_link", kwargs={"token": token})
    if next_url:
        link += "?" + urlencode({"next": next_url})
    context = {"link": link, "minutes": max(settings.SESAME_MAX_AGE // 60, 1)}
    try:
        send_mail(
            subject=_("Your sign-in link to Logithèque"),
            message=render_to_string("agents/email/signin_link.txt", context),
            from_email=None,
            recipient_list=[normalised],
        )
    except (OSError, smtplib.SMTPException) as error:
        logger.error("Sign-in link to %s not sent: %s", normalised, error)
        raise ApplicationError(
            _("The e-mail could not be sent just now. Please try again in a few minutes.")
        ) from error


def signin_link_use(*, token: str) -> Agent | None:
    """The agent a link signs in, using the link up; None if it is not (or no longer) valid.

    An agent is created on their first sign-in. The row lock makes two concurrent uses of one
    link sign in at most once.
    """
    ticket = signin_ticket_get(token=token)
    if ticket is None:
        return None
    with transaction.atomic():
        if ticket.agent is None:
            try:
                with transaction.atomic():
                    agent = Agent.objects.create_user(email=ticket.email)
            except IntegrityError:
                return None
        else:
            Agent.objects.select_for_update().filter(pk=ticket.agent.pk).first()
            ticket = signin_ticket_get(token=token)
            if ticket is None or ticket.agent is None:
                return None
            agent = ticket.agent
        agent.last_login = timezone.now()
        agent.save(update_fields=["last_login"])
        membership_derive(agent=agent)
    return agent


def agent_sign_in_with_proconnect(
    *, email: str, given_name: str = "", usual_name: str = "", siret: str = ""
) -> Agent:
    """Find or create the agent ProConnect vouches for; refuse addresses off the allow-list.

    Names fill empty fields only (the agent may have corrected them in their profile). The agent
    becomes a member of the organisation approved agents of the same SIRET belong to.
    """
    normalised = email_normalise(email)
    if normalised is None:
        raise ApplicationError(_("ProConnect gave no valid e-mail address."))
    if not email_domain_is_allowed(normalised):
        raise ApplicationError(refused_address_message())
    siret = "".join(character for character in str(siret or "") if character.isdigit())[:14]
    with transaction.atomic():
        agent = Agent.objects.select_for_update().filter(email=normalised).first()
        if agent is None:
            agent = Agent(email=normalised)
            agent.set_unusable_password()
        if not agent.first_name:
            agent.first_name = str(given_name or "")[:150]
        if not agent.last_name:
            agent.last_name = str(usual_name or "")[:150]
        if siret:
            agent.siret = siret
        agent.full_clean()
        agent.save()
        membership_derive(agent=agent)
    return agent


def agent_update_profile(
    *,
    agent: Agent,
    first_name: str,
    last_name: str,
    about: str,
    contact_public: bool,
) -> Agent:
    """Change what an agent says about themselves; their e-mail (their identity) stays."""
    agent.first_name = first_name
    agent.last_name = last_name
    agent.about = about
    agent.contact_public = contact_public
    agent.full_clean()
    with transaction.atomic():
        agent.save(update_fields=["first_name", "last_name", "about", "contact_public"])
        content_changed()  # public pages show the names of agents who made them public
    return agent


def _membership_approve(membership: Membership, *, source: str, decided_by: Agent | None) -> None:
    membership.status = MembershipStatus.APPROVED
    membership.source = source
    membership.decided_by = decided_by
    membership.decided_at = timezone.now()
    membership.full_clean()
    membership.save()


@transaction.atomic
def membership_derive(*, agent: Agent) -> Membership | None:
    """Make the agent a member of the organisation their SIRET or e-mail domain proves.

    A refusal by a curator or a member stands: derivation does not overturn it. An agent with no
    organisation yet gets this one as theirs.
    """
    organisation, source = organisation_derived(agent)
    if organisation is None:
        return None
    membership, _created = Membership.objects.select_for_update().get_or_create(
        agent=agent, organisation=organisation
    )
    if membership.status == MembershipStatus.PENDING:
        _membership_approve(membership, source=source, decided_by=None)
    if membership.status == MembershipStatus.APPROVED and agent.organisation_id is None:
        agent.organisation = organisation
        agent.save(update_fields=["organisation"])
    return membership


@transaction.atomic
def membership_request(
    *, agent: Agent, organisation: Organisation | None = None, new_name: str = ""
) -> Membership:
    """The agent says they work for ``organisation`` (or for a new one named ``new_name``, created
    pending for curators): it becomes the organisation they declare for, and their membership is
    approved at once only when their SIRET or e-mail domain proves it; otherwise it waits for a
    curator or a member. A refused request cannot be made again.
    """
    if not agent.is_authenticated or not agent.is_active:
        raise PermissionDenied(_("You must be signed in as a public agent to do this."))
    if organisation is None:
        organisation = organisation_propose(name=new_name)
    elif organisation.status == OrganisationStatus.REFUSED:
        raise ApplicationError(
            _("This organisation was not accepted by the curators."), {"field": "organisation"}
        )
    membership, _created = Membership.objects.select_for_update().get_or_create(
        agent=agent, organisation=organisation
    )
    if membership.status == MembershipStatus.REFUSED:
        raise ApplicationError(
            _(
                "Your request to join %(organisation)s was refused. If this is a mistake, "
                "write to the site's curators."
            )
            % {"organisation": organisation.name},
            {"field": "organisation"},
        )
    if membership.status == MembershipStatus.PENDING:
        derived, source = organisation_derived(agent)
        if derived is not None and derived.pk == organisation.pk:
            _membership_approve(membership, source=source, decided_by=None)
    if agent.organisation_id != organisation.pk:
        agent.organisation = organisation
        agent.save(update_fields=["organisation"])
        content_changed()
    return membership


@transaction.atomic
def membership_decide(*, actor: Agent, membership: Membership, approve: bool) -> Membership:
    """A curator, or an approved member of the organisation, approves or refuses a request."""
    is_curator = bool(actor.is_authenticated and actor.is_active and actor.is_staff)
    if not is_curator and (
        not actor.is_authenticated
        or not actor.is_active
        or actor.pk == membership.agent_id
        or not membership_is_approved(agent=actor, organisation_id=membership.organisation_id)
    ):
        raise PermissionDenied(
            _("Only curators and members of the organisation can answer this request.")
        )
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if not is_curator and membership.status != MembershipStatus.PENDING:
        raise ApplicationError(_("This request was already answered."))
    source = MembershipSource.CURATOR if is_curator else MembershipSource.MEMBER
    if approve:
        _membership_approve(membership, source=source, decided_by=actor)
    else:
        membership.status = MembershipStatus.REFUSED
        membership.source = source
        membership.decided_by = actor
        membership.decided_at = timezone.now()
        membership.full_clean()
        membership.save()
    return membership
