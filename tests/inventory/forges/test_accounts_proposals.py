"""account_propose / account_accept / account_reject / account_deactivate: who may do what."""

import pytest
from django.contrib.auth.models import AnonymousUser

from inventory.agents.models import Agent
from inventory.core.exceptions import ApplicationError, PermissionDenied
from inventory.forges.models import Account, AccountKind, AccountState, Forge, ForgeKind
from inventory.forges.services.account_proposals import (
    account_accept,
    account_deactivate,
    account_propose,
    account_reject,
)
from inventory.organisations.models import Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def organisation() -> Organisation:
    return Organisation.objects.create(
        name="Cerema", slug="cerema", pso_id="6c330fd9-0406-4a5f-9e40-c801716a6a24"
    )


@pytest.fixture
def agent(organisation) -> Agent:
    return Agent.objects.create_user(email="alice@cerema.fr", organisation=organisation)


@pytest.fixture
def curator() -> Agent:
    return Agent.objects.create_user(email="curator@numerique.gouv.fr", is_staff=True)


@pytest.fixture
def github() -> Forge:
    return Forge.objects.create(
        host="github.com", kind=ForgeKind.GITHUB, api_url="https://api.github.com"
    )


@pytest.fixture
def proposal(agent, github) -> Account:
    return account_propose(
        agent=agent, forge_host="GitHub.com", login="cerema", kind=AccountKind.ORG, note="Our org"
    )


def test_agent_proposal_waits_for_a_curator_on_behalf_of_the_agents_organisation(
    proposal, agent, organisation
):
    proposal.refresh_from_db()
    assert proposal.state == AccountState.PROPOSED
    assert proposal.forge.host == "github.com"
    assert proposal.proposed_by == agent
    assert proposal.organisation == organisation
    assert proposal.proposal_note == "Our org"


def test_anonymous_visitor_cannot_propose(github):
    with pytest.raises(PermissionDenied):
        account_propose(
            agent=AnonymousUser(), forge_host="github.com", login="cerema", kind=AccountKind.ORG
        )
    assert not Account.objects.exists()


def test_proposal_of_a_registered_account_points_to_it(proposal, agent):
    with pytest.raises(ApplicationError) as error:
        account_propose(agent=agent, forge_host="github.com", login="CEREMA", kind=AccountKind.ORG)

    assert "github.com/cerema is already in the registry" in error.value.message
    assert error.value.extra == {"account_id": proposal.pk}


@pytest.mark.parametrize(
    ("host", "login", "kind", "message"),
    [
        ("gitlab.unknown.fr", "team", AccountKind.GROUP, "not a forge Logithèque knows"),
        ("github.com", "a team", AccountKind.ORG, "is not a login"),
        ("github.com", "cerema", AccountKind.GROUP, "one of: org, user"),
        ("github.com", "cerema", AccountKind.INSTANCE, "one of: org, user"),
        ("not a host", "cerema", AccountKind.ORG, "is not a forge host"),
    ],
)
def test_invalid_proposals_are_refused_with_a_reason(agent, github, host, login, kind, message):
    with pytest.raises(ApplicationError, match=message):
        account_propose(agent=agent, forge_host=host, login=login, kind=kind)
    assert not Account.objects.exists()


def test_proposal_on_a_forge_crawled_whole_is_refused(agent):
    Forge.objects.create(
        host="gitlab.inria.fr",
        kind=ForgeKind.GITLAB,
        api_url="https://gitlab.inria.fr",
        whole_instance=True,
    )

    with pytest.raises(ApplicationError, match="already crawled"):
        account_propose(
            agent=agent, forge_host="gitlab.inria.fr", login="team", kind=AccountKind.GROUP
        )


def test_curator_accepts_a_proposal_and_it_becomes_active(proposal, curator):
    account_accept(curator=curator, account=proposal)

    proposal.refresh_from_db()
    assert proposal.state == AccountState.ACTIVE


def test_agent_cannot_accept_or_reject_proposals(proposal, agent):
    with pytest.raises(PermissionDenied):
        account_accept(curator=agent, account=proposal)
    with pytest.raises(PermissionDenied):
        account_reject(curator=agent, account=proposal, reason="No")
    proposal.refresh_from_db()
    assert proposal.state == AccountState.PROPOSED


def test_curator_rejects_a_proposal_with_a_reason_kept_in_its_note(proposal, curator):
    account_reject(curator=curator, account=proposal, reason="Not a public body")

    proposal.refresh_from_db()
    assert proposal.state == AccountState.REJECTED
    assert (
        proposal.proposal_note
        == "Our org\n\nRejected by curator@numerique.gouv.fr: Not a public body"
    )


def test_rejection_needs_a_reason(proposal, curator):
    with pytest.raises(ApplicationError, match="Say why"):
        account_reject(curator=curator, account=proposal, reason="  ")
    proposal.refresh_from_db()
    assert proposal.state == AccountState.PROPOSED


def test_only_proposals_can_be_accepted_or_rejected(proposal, curator):
    account_accept(curator=curator, account=proposal)

    with pytest.raises(ApplicationError, match="is not a proposal"):
        account_accept(curator=curator, account=proposal)
    with pytest.raises(ApplicationError, match="is not a proposal"):
        account_reject(curator=curator, account=proposal, reason="Late")


def test_rejected_proposal_can_still_be_accepted_later(proposal, curator):
    account_reject(curator=curator, account=proposal, reason="Unsure")

    account_accept(curator=curator, account=proposal)

    proposal.refresh_from_db()
    assert proposal.state == AccountState.ACTIVE


def test_curator_deactivates_an_active_account_and_keeps_it(proposal, curator, agent):
    account_accept(curator=curator, account=proposal)
    with pytest.raises(PermissionDenied):
        account_deactivate(curator=agent, account=proposal)

    account_deactivate(curator=curator, account=proposal)

    proposal.refresh_from_db()
    assert proposal.state == AccountState.INACTIVE
    with pytest.raises(ApplicationError, match="is not active"):
        account_deactivate(curator=curator, account=proposal)
