"""Membership of organisations: derived (e-mail domain, SIRET) or approved (curator, member),
never self-declared; an agent who only claims an organisation cannot take its instances over."""

import json

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token

from inventory.agents.models import (
    Agent,
    EmailDomain,
    Membership,
    MembershipSource,
    MembershipStatus,
)
from inventory.catalog.models import Instance, ReferentDeclaration
from inventory.organisations.models import Organisation, OrganisationStatus
from tests.inventory.catalog import factories

from .helpers import last_link, request_link

pytestmark = pytest.mark.django_db


@pytest.fixture
def dinum(allow_list):
    return factories.organisation_create(
        name="Direction interministérielle du numérique", slug="dinum", acronym="DINUM"
    )


@pytest.fixture
def software(db):
    return factories.software_create(name="Nextcloud", slug="nextcloud")


@pytest.fixture
def dinum_instance(dinum, software):
    owner = factories.agent_create(organisation=dinum, email="owner@numerique.gouv.fr")
    return factories.instance_create(
        software=software,
        organisation=dinum,
        public_url="https://cloud.numerique.gouv.fr",
        target_audience="Agents de la DINUM",
        added_by=owner,
    )


def signed_in(agent: Agent) -> Client:
    client = Client()
    client.force_login(agent)
    return client


def token_client(agent: Agent) -> Client:
    token = Token.objects.create(user=agent)
    return Client(HTTP_AUTHORIZATION=f"Token {token.key}")


def sign_in_by_link(client: Client, email: str) -> None:
    request_link(client, email)
    client.post(last_link(email))
    assert client.session.get("_auth_user_id")


def test_claiming_an_organisation_gives_no_hold_on_its_instances(dinum, dinum_instance):
    intruder = factories.agent_create(email="intrus@interieur.gouv.fr")
    client = signed_in(intruder)

    # The old profile field is ignored; asking to join only files a request.
    client.post(reverse("agents:profile"), {"first_name": "In", "organisation": dinum.pk})
    asked = client.post(reverse("agents:membership_request"), {"organisation_name": "DINUM"})
    assert asked.status_code == 302
    intruder.refresh_from_db()
    assert intruder.organisation == dinum
    assert Membership.objects.get(agent=intruder, organisation=dinum).status == "pending"

    edit_url = reverse("web:instance_edit", args=[dinum_instance.pk])
    delete_url = reverse("web:instance_delete", args=[dinum_instance.pk])
    assert client.get(edit_url).status_code == 403
    assert (
        client.post(edit_url, {"public_url": "https://evil.example.org", "target_audience": ""})
    ).status_code == 403
    assert client.post(delete_url).status_code == 403

    api = token_client(intruder)
    api_url = f"/api/v1/instances/{dinum_instance.pk}/"
    patched = api.patch(
        api_url, json.dumps({"public_url": "https://evil.example.org"}), "application/json"
    )
    assert patched.status_code == 403
    assert api.delete(api_url).status_code == 403

    instance = Instance.objects.get(pk=dinum_instance.pk)
    assert (instance.public_url, instance.target_audience) == (
        "https://cloud.numerique.gouv.fr",
        "Agents de la DINUM",
    )


def test_an_agent_changes_the_instances_they_added_while_their_membership_waits(dinum, software):
    newcomer = factories.agent_create(organisation=dinum, member=False)
    client = signed_in(newcomer)
    added = client.post(
        reverse("web:instance_add", args=[software.slug]),
        {"public_url": "https://visio.numerique.gouv.fr", "target_audience": ""},
    )
    assert added.status_code == 302
    instance = Instance.objects.get(added_by=newcomer)
    assert instance.organisation == dinum

    edited = client.post(
        reverse("web:instance_edit", args=[instance.pk]),
        {"public_url": "https://visio2.numerique.gouv.fr", "target_audience": "Tous"},
    )
    assert edited.status_code == 302
    assert Instance.objects.get(pk=instance.pk).public_url == "https://visio2.numerique.gouv.fr"


def test_signing_in_with_a_mapped_domain_makes_an_approved_member(client, dinum, dinum_instance):
    EmailDomain.objects.filter(domain="numerique.gouv.fr").update(organisation=dinum)

    sign_in_by_link(client, "nouvelle.agente@numerique.gouv.fr")

    agent = Agent.objects.get(email="nouvelle.agente@numerique.gouv.fr")
    assert agent.organisation == dinum
    membership = agent.memberships.get()
    assert (membership.status, membership.source, membership.decided_by) == (
        MembershipStatus.APPROVED,
        MembershipSource.DOMAIN,
        None,
    )
    edit_url = reverse("web:instance_edit", args=[dinum_instance.pk])
    assert client.get(edit_url).status_code == 200


def test_an_unmapped_domain_derives_nothing(client, dinum):
    sign_in_by_link(client, "quelquun@numerique.gouv.fr")
    agent = Agent.objects.get(email="quelquun@numerique.gouv.fr")
    assert agent.organisation is None
    assert not agent.memberships.exists()


def test_the_first_declaration_asks_the_organisation_pre_filled_from_the_domain(
    client, dinum, software
):
    EmailDomain.objects.filter(domain="numerique.gouv.fr").update(organisation=dinum)
    # Mapped after this agent's sign-in: the form still knows it from the address.
    agent = Agent.objects.create_user(email="a.b@numerique.gouv.fr")
    client.force_login(agent)

    page = client.get(reverse("web:referent_declare", args=[software.slug]))
    assert page.status_code == 200
    field = page.context["form"]["organisation_name"]
    assert field.value() == dinum.name

    declared = client.post(
        reverse("web:referent_declare", args=[software.slug]),
        {"organisation_name": dinum.name, "use_case": "Partage de fichiers"},
    )
    assert declared.status_code == 302
    declaration = ReferentDeclaration.objects.get(agent=agent)
    assert declaration.organisation == dinum
    membership = agent.memberships.get()
    assert (membership.status, membership.source) == ("approved", MembershipSource.DOMAIN)


def test_a_new_agent_names_an_unlisted_organisation_within_the_first_declaration(dinum, software):
    agent = Agent.objects.create_user(email="maire@trifouilly.fr")
    client = signed_in(agent)
    url = reverse("web:referent_declare", args=[software.slug])

    # No organisation is named exactly so: a second step offers the nearest and a new one.
    first = client.post(url, {"organisation_name": "Mairie de Trifouilly-les-Oies"})
    assert first.status_code == 200
    assert b'value="new"' in first.content
    assert not ReferentDeclaration.objects.exists()
    assert not Organisation.objects.filter(name__icontains="Trifouilly").exists()

    done = client.post(
        url,
        {"organisation_name": "Mairie de Trifouilly-les-Oies", "organisation_pick": "new"},
    )
    assert done.status_code == 302
    created = Organisation.objects.get(name="Mairie de Trifouilly-les-Oies")
    assert created.status == OrganisationStatus.PENDING
    assert ReferentDeclaration.objects.get(agent=agent).organisation == created
    assert Membership.objects.get(agent=agent).status == MembershipStatus.PENDING
    agent.refresh_from_db()
    assert agent.organisation == created

    # Pending: out of the public lists and filters, and of other agents' suggestions.
    anonymous = Client()
    listed = anonymous.get("/api/v1/organisations/?page_size=100").json()
    assert "Mairie de Trifouilly-les-Oies" not in json.dumps(listed)
    assert b"Trifouilly" not in anonymous.get(reverse("web:software_list")).content
    assert b"Trifouilly" not in anonymous.get(reverse("web:inventory_organisations")).content
    others = anonymous.get(reverse("agents:organisation_suggest"), {"q": "trifouilly"}).json()
    assert others == {"results": []}
    mine = client.get(reverse("agents:organisation_suggest"), {"q": "trifouilly"}).json()
    assert mine == {"results": [{"name": "Mairie de Trifouilly-les-Oies", "acronym": ""}]}

    # Its page: for the agent who named it and for curators only, until it is validated.
    page = reverse("web:organisation_detail", args=[created.slug])
    stranger = signed_in(Agent.objects.create_user(email="autre@trifouilly.fr"))
    curator = signed_in(
        Agent.objects.create_user(email="curateur@numerique.gouv.fr", is_staff=True)
    )
    assert anonymous.get(page).status_code == 404
    assert stranger.get(page).status_code == 404
    assert client.get(page).status_code == 200
    assert curator.get(page).status_code == 200
    created.status = OrganisationStatus.VALIDATED
    created.save()
    assert anonymous.get(page).status_code == 200


def test_the_search_step_picks_a_listed_organisation(dinum, software):
    agent = Agent.objects.create_user(email="x@numerique.gouv.fr")
    client = signed_in(agent)
    url = reverse("web:user_declare", args=[software.slug])

    first = client.post(url, {"organisation_name": "interministeriel numerique"})
    assert first.status_code == 200
    assert [choice[0] for choice in first.context["form"].fields["organisation_pick"].choices] == [
        str(dinum.pk),
        "new",
    ]
    done = client.post(
        url, {"organisation_name": "interministeriel numerique", "organisation_pick": dinum.pk}
    )
    assert done.status_code == 302
    assert Membership.objects.get(agent=agent, organisation=dinum).status == "pending"
    assert Organisation.objects.count() == 1


def test_a_blank_organisation_is_asked_again_with_a_message(dinum, software):
    client = signed_in(Agent.objects.create_user(email="y@numerique.gouv.fr"))
    response = client.post(reverse("web:referent_declare", args=[software.slug]), {})
    assert response.status_code == 200
    assert "organisation_name" in response.context["form"].errors
    assert not ReferentDeclaration.objects.exists()


def test_a_member_approves_a_colleague_who_then_maintains_the_instances(dinum, dinum_instance):
    owner = dinum_instance.added_by
    newcomer = factories.agent_create(email="new@numerique.gouv.fr", organisation=None)
    bystander = factories.agent_create(email="by@interieur.gouv.fr")
    signed_in(newcomer).post(reverse("agents:membership_request"), {"organisation_name": "dinum"})
    membership = Membership.objects.get(agent=newcomer, organisation=dinum)
    assert membership.status == MembershipStatus.PENDING

    # Neither the requester nor an outsider may answer.
    for who in (newcomer, bystander):
        refused = signed_in(who).post(
            reverse("agents:membership_requests"),
            {"membership": membership.pk, "decision": "approve"},
        )
        assert refused.status_code == 403
    assert Membership.objects.get(pk=membership.pk).status == MembershipStatus.PENDING

    member = signed_in(owner)
    page = member.get(reverse("agents:membership_requests"))
    assert b"new@numerique.gouv.fr" in page.content
    approved = member.post(
        reverse("agents:membership_requests"), {"membership": membership.pk, "decision": "approve"}
    )
    assert approved.status_code == 302
    membership.refresh_from_db()
    assert (membership.status, membership.source, membership.decided_by) == (
        MembershipStatus.APPROVED,
        MembershipSource.MEMBER,
        owner,
    )
    edited = signed_in(newcomer).post(
        reverse("web:instance_edit", args=[dinum_instance.pk]),
        {"public_url": "https://cloud2.numerique.gouv.fr", "target_audience": ""},
    )
    assert edited.status_code == 302


def test_a_refused_agent_can_neither_declare_for_nor_ask_again(dinum, software):
    member = factories.agent_create(organisation=dinum)
    pretender = factories.agent_create(email="p@interieur.gouv.fr", organisation=None)
    client = signed_in(pretender)
    client.post(reverse("agents:membership_request"), {"organisation_name": "DINUM"})
    membership = Membership.objects.get(agent=pretender, organisation=dinum)
    signed_in(member).post(
        reverse("agents:membership_requests"), {"membership": membership.pk, "decision": "refuse"}
    )
    assert Membership.objects.get(pk=membership.pk).status == MembershipStatus.REFUSED

    declared = client.post(reverse("web:referent_declare", args=[software.slug]), {})
    assert declared.status_code == 403
    again = client.post(reverse("agents:membership_request"), {"organisation_name": "DINUM"})
    assert again.status_code == 400
    assert "was refused" in again.content.decode()
    assert Membership.objects.get(pk=membership.pk).status == MembershipStatus.REFUSED
    assert not ReferentDeclaration.objects.exists()


def test_the_api_refuses_declaring_for_a_claimed_organisation(dinum, software):
    outsider = factories.agent_create(email="o@interieur.gouv.fr")
    response = token_client(outsider).post(
        f"/api/v1/software/{software.slug}/referent/",
        json.dumps({"organisation": "dinum"}),
        "application/json",
    )
    assert response.status_code == 403
    assert not ReferentDeclaration.objects.exists()


def test_malformed_membership_answers_are_client_errors(dinum):
    client = signed_in(factories.agent_create(organisation=dinum))
    url = reverse("agents:membership_requests")
    assert client.post(url, {"membership": "abc", "decision": "approve"}).status_code == 404
    membership = Membership.objects.get()
    assert client.post(url, {"membership": membership.pk, "decision": "x"}).status_code == 400
    bad = client.get(reverse("agents:organisation_suggest"), {"q": "a\x00b"})
    assert bad.status_code == 400


def test_curators_approve_memberships_and_validate_organisations_in_the_admin(dinum):
    curator = factories.curator_create(email="curator@numerique.gouv.fr")
    agent = Agent.objects.create_user(email="z@numerique.gouv.fr")
    client = signed_in(agent)
    client.post(
        reverse("agents:membership_request"),
        {"organisation_name": "Centre hospitalier de Nulle-Part", "organisation_pick": "new"},
    )
    pending = Organisation.objects.get(name="Centre hospitalier de Nulle-Part")
    membership = Membership.objects.get(agent=agent)
    admin = signed_in(curator)

    listed = admin.get(reverse("admin:agents_membership_changelist"), {"status": "pending"})
    assert b"z@numerique.gouv.fr" in listed.content
    admin.post(
        reverse("admin:agents_membership_changelist"),
        {"action": "approve", "_selected_action": [membership.pk]},
    )
    membership.refresh_from_db()
    assert (membership.status, membership.source, membership.decided_by) == (
        MembershipStatus.APPROVED,
        MembershipSource.CURATOR,
        curator,
    )

    curator.is_superuser = True
    curator.save()
    admin.post(
        reverse("admin:organisations_organisation_changelist"),
        {"action": "validate", "_selected_action": [pending.pk]},
    )
    assert Organisation.objects.get(pk=pending.pk).status == OrganisationStatus.VALIDATED
    assert "Nulle-Part" in json.dumps(Client().get("/api/v1/organisations/").json())
    assert mail.outbox == []
