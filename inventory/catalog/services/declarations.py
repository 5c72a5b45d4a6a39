"""Referent and user declarations: an agent says they back or use a software in their organisation."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from inventory.agents.models import MembershipStatus
from inventory.agents.selectors import membership_get
from inventory.catalog.models import ReferentDeclaration, Software, SoftwareStatus, UserDeclaration
from inventory.catalog.notifications import curators_notify_last_referent_withdrew
from inventory.catalog.services._base import (
    delete_recorded,
    is_curator,
    require_agent,
    save_validated,
)
from inventory.core.exceptions import ApplicationError, PermissionDenied
from inventory.organisations.models import Organisation, OrganisationStatus


def declaring_organisation(agent, organisation: Organisation | None) -> Organisation:
    """The agent's own organisation by default; another one only for curators.

    An agent's own organisation is one they are a member of or asked to join (the declaration
    is theirs either way); never one whose curators or members refused them.
    """
    if is_curator(agent) and organisation is not None:
        return organisation
    if organisation is None:
        if agent.organisation_id is None:
            raise ApplicationError(
                _("Say which organisation you work for before declaring."),
                {"field": "organisation"},
            )
        organisation = agent.organisation
    membership = membership_get(agent=agent, organisation_id=organisation.pk)
    if (
        membership is None
        or membership.status == MembershipStatus.REFUSED
        or organisation.status == OrganisationStatus.REFUSED
    ):
        raise PermissionDenied(_("You can only declare for your own organisation."))
    return organisation


def _declare(model, *, agent, software: Software, organisation, **fields):
    require_agent(agent)
    if software.status == SoftwareStatus.PROPOSED and software.added_by_id != agent.pk:
        raise ApplicationError(
            _("« %(name)s » has not been accepted in the catalog yet.") % {"name": software.name}
        )
    organisation = declaring_organisation(agent, organisation)
    declaration = model.objects.select_for_update().filter(
        agent=agent, software=software
    ).first() or model(agent=agent, software=software)
    declaration.organisation = organisation
    for field, value in fields.items():
        setattr(declaration, field, value.strip() if isinstance(value, str) else value)
    save_validated(declaration, actor=agent)
    return declaration


@transaction.atomic
def referent_declare(
    *,
    agent,
    software: Software,
    organisation: Organisation | None = None,
    use_case: str = "",
    is_technical_expert: bool = False,
    version: str = "",
    service_url: str = "",
) -> ReferentDeclaration:
    """Declare (or update) the agent's referent declaration for a software."""
    declaration = _declare(
        ReferentDeclaration,
        agent=agent,
        software=software,
        organisation=organisation,
        use_case=use_case,
        is_technical_expert=is_technical_expert,
        version=version,
        service_url=service_url,
    )
    Software.objects.filter(pk=software.pk, needs_referent=True).update(needs_referent=False)
    return declaration


@transaction.atomic
def referent_withdraw(*, agent, software: Software) -> None:
    """The agent stops being a referent; when a recommended software loses its last referent,
    it is flagged and curators are told by e-mail once the change is committed."""
    require_agent(agent)
    software = Software.objects.select_for_update().get(pk=software.pk)
    declaration = ReferentDeclaration.objects.filter(agent=agent, software=software).first()
    if declaration is None:
        raise ApplicationError(
            _("You are not a referent of « %(name)s ».") % {"name": software.name}
        )
    delete_recorded(declaration, actor=agent)
    if software.status == SoftwareStatus.RECOMMENDED and not software.referents.exists():
        software.needs_referent = True
        save_validated(software, actor=agent)
        transaction.on_commit(lambda: curators_notify_last_referent_withdrew(software=software))


@transaction.atomic
def user_declare(
    *,
    agent,
    software: Software,
    organisation: Organisation | None = None,
    use_case: str = "",
    version: str = "",
    os: str = "",
    service_url: str = "",
) -> UserDeclaration:
    """Declare (or update) that the agent uses a software in their organisation."""
    return _declare(
        UserDeclaration,
        agent=agent,
        software=software,
        organisation=organisation,
        use_case=use_case,
        version=version,
        os=os,
        service_url=service_url,
    )


@transaction.atomic
def user_withdraw(*, agent, software: Software) -> None:
    require_agent(agent)
    declaration = UserDeclaration.objects.filter(agent=agent, software=software).first()
    if declaration is None:
        raise ApplicationError(
            _("You have not declared using « %(name)s ».") % {"name": software.name}
        )
    delete_recorded(declaration, actor=agent)
