"""The permission matrix: anonymous, the agent who owns the thing, another agent, a curator,
for every write service of the catalog."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.contrib.auth.models import AnonymousUser

from inventory.catalog import services
from inventory.catalog.models import (
    Comment,
    CommentReport,
    Instance,
    ReferentDeclaration,
    Software,
    SoftwareStatus,
    UserDeclaration,
)
from inventory.core.exceptions import ApplicationError, PermissionDenied
from tests.inventory.catalog import factories

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "owner", "other_agent", "curator")


@dataclass
class World:
    owner: object
    other_agent: object
    curator: object
    owned: Software
    proposal: Software
    duplicate: Software
    comment: Comment
    instance: Instance

    def actor(self, role: str):
        return AnonymousUser() if role == "anonymous" else getattr(self, role)


@pytest.fixture
def world() -> World:
    owner = factories.agent_create()
    owned = factories.software_create(name="Owned", added_by=owner)
    factories.referent_create(software=owned, agent=owner)
    factories.user_create(software=owned, agent=owner)
    return World(
        owner=owner,
        other_agent=factories.agent_create(),
        curator=factories.curator_create(),
        owned=owned,
        proposal=factories.software_create(
            name="Proposal", status=SoftwareStatus.PROPOSED, added_by=owner
        ),
        duplicate=factories.software_create(name="Duplicate of owned"),
        comment=factories.comment_create(software=owned, author=owner),
        instance=factories.instance_create(software=owned, organisation=owner.organisation),
    )


def state(world: World) -> tuple:
    """Everything a refused write must leave untouched."""
    return (
        list(Software.objects.values_list("pk", "status", "updated_at", "function")),
        list(ReferentDeclaration.objects.values_list("pk", "software_id", "updated_at")),
        list(UserDeclaration.objects.values_list("pk", "software_id", "updated_at")),
        list(Instance.objects.values_list("pk", "software_id", "updated_at")),
        list(Comment.objects.values_list("pk", "software_id", "body", "is_hidden", "updated_at")),
        list(CommentReport.objects.values_list("pk")),
        Software.history.count(),
    )


CASES = {
    "software_propose": (
        lambda w, a: services.software_propose(agent=a, name="Nouveau", license="MIT"),
        {"owner", "other_agent", "curator"},
    ),
    "software_update": (
        lambda w, a: services.software_update(actor=a, software=w.owned, function="Edited"),
        {"owner", "curator"},
    ),
    "software_accept": (
        lambda w, a: services.software_accept(curator=a, software=w.proposal),
        {"curator"},
    ),
    "software_recommend": (
        lambda w, a: services.software_recommend(curator=a, software=w.owned),
        {"curator"},
    ),
    "software_dereference": (
        lambda w, a: services.software_dereference(curator=a, software=w.owned, reason="Obsolete"),
        {"curator"},
    ),
    "software_merge": (
        lambda w, a: services.software_merge(curator=a, source=w.duplicate, target=w.owned),
        {"curator"},
    ),
    "referent_declare": (
        lambda w, a: services.referent_declare(agent=a, software=w.owned, use_case="Bureautique"),
        {"owner", "other_agent", "curator"},
    ),
    "referent_withdraw": (
        lambda w, a: services.referent_withdraw(agent=a, software=w.owned),
        {"owner"},
    ),
    "user_declare": (
        lambda w, a: services.user_declare(agent=a, software=w.owned, os="linux"),
        {"owner", "other_agent", "curator"},
    ),
    "user_withdraw": (
        lambda w, a: services.user_withdraw(agent=a, software=w.owned),
        {"owner"},
    ),
    "instance_add": (
        lambda w, a: services.instance_add(
            agent=a, software=w.owned, public_url="https://nouvelle.example.gouv.fr"
        ),
        {"owner", "other_agent", "curator"},
    ),
    "instance_update": (
        lambda w, a: services.instance_update(actor=a, instance=w.instance, target_audience="Tous"),
        {"owner", "curator"},
    ),
    "instance_delete": (
        lambda w, a: services.instance_delete(actor=a, instance=w.instance),
        {"owner", "curator"},
    ),
    "comment_create": (
        lambda w, a: services.comment_create(author=a, software=w.owned, body="Bien."),
        {"owner", "other_agent", "curator"},
    ),
    "comment_edit": (
        lambda w, a: services.comment_edit(actor=a, comment=w.comment, body="Corrigé."),
        {"owner", "curator"},
    ),
    "comment_report": (
        lambda w, a: services.comment_report(reporter=a, comment=w.comment, reason="Spam"),
        {"owner", "other_agent", "curator"},
    ),
    "comment_hide": (
        lambda w, a: services.comment_hide(curator=a, comment=w.comment, reason="Hors sujet"),
        {"curator"},
    ),
    "comment_unhide": (
        lambda w, a: services.comment_unhide(curator=a, comment=w.comment),
        {"curator"},
    ),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("service", sorted(CASES))
def test_write_is_allowed_exactly_for_the_roles_of_the_matrix(world, service, role):
    call, allowed = CASES[service]
    before = state(world)
    if role in allowed:
        call(world, world.actor(role))
        assert state(world) != before
        return
    # Someone with no declaration to withdraw gets a plain error; every other refusal is a
    # permission refusal.
    expected = (
        ApplicationError
        if service.endswith("_withdraw") and role != "anonymous"
        else (PermissionDenied)
    )
    with pytest.raises(expected):
        call(world, world.actor(role))
    assert state(world) == before


def test_no_actor_at_all_is_refused_like_an_anonymous_visitor(world):
    with pytest.raises(PermissionDenied):
        services.software_propose(agent=None, name="Nouveau", license="MIT")
    with pytest.raises(PermissionDenied):
        services.comment_create(author=None, software=world.owned, body="x")


def test_a_deactivated_agent_cannot_write(world):
    world.owner.is_active = False
    world.owner.save()
    with pytest.raises(PermissionDenied):
        services.software_update(actor=world.owner, software=world.owned, function="Edited")


def test_an_agent_cannot_declare_for_another_organisation(world):
    elsewhere = factories.organisation_create()
    with pytest.raises(PermissionDenied):
        services.referent_declare(
            agent=world.other_agent, software=world.owned, organisation=elsewhere
        )
    with pytest.raises(PermissionDenied):
        services.instance_add(agent=world.other_agent, software=world.owned, organisation=elsewhere)
    assert not ReferentDeclaration.objects.filter(organisation=elsewhere).exists()


def test_a_curator_may_declare_an_instance_for_any_organisation(world):
    elsewhere = factories.organisation_create()
    instance = services.instance_add(
        agent=world.curator, software=world.owned, organisation=elsewhere
    )
    assert instance.organisation == elsewhere
