"""Plain factory functions for catalog tests: each creates one saved object with sensible defaults."""

from __future__ import annotations

import itertools
from typing import Any

from inventory.agents.models import Agent, Membership, MembershipSource, MembershipStatus
from inventory.catalog.markdown import render_markdown
from inventory.catalog.models import (
    Comment,
    Instance,
    ReferentDeclaration,
    Software,
    SoftwareStatus,
    UserDeclaration,
)
from inventory.organisations.models import Organisation

_sequence = itertools.count(1)


def organisation_create(**fields: Any) -> Organisation:
    number = next(_sequence)
    fields.setdefault("name", f"Organisation {number}")
    fields.setdefault("slug", f"organisation-{number}")
    return Organisation.objects.create(**fields)


def agent_create(
    *, organisation: Organisation | None = None, member: bool = True, **fields: Any
) -> Agent:
    """An agent of ``organisation``: an approved member unless ``member=False`` (a request)."""
    number = next(_sequence)
    email = fields.pop("email", f"agent{number}@numerique.gouv.fr")
    if organisation is None:
        organisation = organisation_create()
    agent = Agent.objects.create_user(email=email, organisation=organisation, **fields)
    membership_create(agent=agent, organisation=organisation, approved=member)
    return agent


def membership_create(*, agent: Agent, organisation: Organisation, approved: bool = True):
    if approved:
        return Membership.objects.create(
            agent=agent,
            organisation=organisation,
            status=MembershipStatus.APPROVED,
            source=MembershipSource.CURATOR,
        )
    return Membership.objects.create(agent=agent, organisation=organisation)


def curator_create(**fields: Any) -> Agent:
    return agent_create(is_staff=True, **fields)


def software_create(**fields: Any) -> Software:
    number = next(_sequence)
    fields.setdefault("name", f"Logiciel {number}")
    fields.setdefault("slug", f"logiciel-{number}")
    fields.setdefault("license", "MIT")
    fields.setdefault("status", SoftwareStatus.OBSERVATION)
    return Software.objects.create(**fields)


def referent_create(*, software: Software, agent: Agent | None = None, **fields: Any):
    agent = agent or agent_create()
    return ReferentDeclaration.objects.create(
        agent=agent, software=software, organisation=agent.organisation, **fields
    )


def user_create(*, software: Software, agent: Agent | None = None, **fields: Any):
    agent = agent or agent_create()
    return UserDeclaration.objects.create(
        agent=agent, software=software, organisation=agent.organisation, **fields
    )


def instance_create(*, software: Software, organisation: Organisation, **fields: Any) -> Instance:
    fields.setdefault("public_url", "https://instance.example.gouv.fr")
    return Instance.objects.create(software=software, organisation=organisation, **fields)


def comment_create(*, software: Software, author: Agent, body: str = "Très utile.") -> Comment:
    return Comment.objects.create(
        software=software, author=author, body=body, body_html=render_markdown(body)
    )
