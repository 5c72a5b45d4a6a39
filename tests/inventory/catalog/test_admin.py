"""The curators' admin: lists, moderation actions through the services, history, CSV export."""

import csv
import io

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from inventory.catalog.models import Comment, CommentReport, Software, SoftwareStatus
from inventory.catalog.services import comment_report, software_update
from tests.conftest import english
from tests.inventory.catalog import factories

pytestmark = pytest.mark.django_db

MODELS = (
    "category",
    "software",
    "referentdeclaration",
    "userdeclaration",
    "instance",
    "comment",
    "commentreport",
)


@pytest.fixture
def curator():
    return factories.curator_create(email="curatrice@numerique.gouv.fr")


@pytest.fixture
def curator_client(client, curator):
    client.force_login(curator)
    return client


def changelist(model: str) -> str:
    return reverse(f"admin:catalog_{model}_changelist")


def act(client, model: str, action: str, objects, **data):
    return client.post(
        changelist(model),
        {"action": action, ACTION_CHECKBOX_NAME: [obj.pk for obj in objects], **data},
        follow=True,
    )


@pytest.mark.parametrize("model", MODELS)
def test_a_curator_without_model_permissions_sees_every_catalog_list(curator_client, model):
    software = factories.software_create(name="GLPI")
    author = factories.agent_create()
    comment = factories.comment_create(software=software, author=author)
    comment_report(reporter=author, comment=comment)
    factories.referent_create(software=software)
    factories.user_create(software=software)
    factories.instance_create(software=software, organisation=author.organisation)
    assert curator_client.get(changelist(model)).status_code == 200
    assert curator_client.get(changelist(model), {"q": "GLPI"}).status_code == 200


def test_the_software_list_filters_by_status_workgroup_and_flags(curator_client):
    factories.software_create(name="Flagged", workgroup="MIMO", license_needs_review=True)
    factories.software_create(name="Clean", workgroup="MIMDEV")
    response = curator_client.get(
        changelist("software"),
        {"workgroup": "MIMO", "license_needs_review__exact": "1", "status": "observation"},
    )
    assert response.status_code == 200
    names = [software.name for software in response.context["cl"].result_list]
    assert names == ["Flagged"]


@pytest.mark.parametrize("model", MODELS)
def test_agents_who_are_not_curators_are_kept_out(client, model):
    client.force_login(factories.agent_create())
    response = client.get(changelist(model))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_dereferencing_asks_for_a_reason_then_ends_the_recommendation(curator_client):
    software = factories.software_create(status=SoftwareStatus.RECOMMENDED)
    page = act(curator_client, "software", "dereference", [software])
    assert page.status_code == 200
    assert b'name="reason"' in page.content
    software.refresh_from_db()
    assert software.status == SoftwareStatus.RECOMMENDED
    act(curator_client, "software", "dereference", [software], apply="1", reason="")
    software.refresh_from_db()
    assert software.status == SoftwareStatus.RECOMMENDED
    act(
        curator_client,
        "software",
        "dereference",
        [software],
        apply="1",
        reason="Abandonné",
        last_recommended_version="3.2",
    )
    software.refresh_from_db()
    assert (software.status, software.dereferencing_reason, software.last_recommended_version) == (
        SoftwareStatus.DEREFERENCED, "Abandonné", "3.2",
    )  # fmt: skip


def test_recommending_without_a_referent_is_refused_with_the_reason(curator_client):
    software = factories.software_create(name="Seul")
    response = act(english(curator_client), "software", "recommend", [software])
    assert "at least one referent" in response.content.decode()
    software.refresh_from_db()
    assert software.status == SoftwareStatus.OBSERVATION


def test_accepting_a_proposal_from_the_admin(curator_client, curator):
    proposal = factories.software_create(status=SoftwareStatus.PROPOSED)
    act(curator_client, "software", "accept_into_observation", [proposal])
    proposal.refresh_from_db()
    assert proposal.status == SoftwareStatus.OBSERVATION
    assert proposal.history.first().history_user == curator


def test_merging_from_the_admin_picks_the_target(curator_client):
    source = factories.software_create(name="Libre Office")
    target = factories.software_create(name="LibreOffice")
    referent = factories.referent_create(software=source)
    page = act(curator_client, "software", "merge", [source])
    assert b'name="target"' in page.content
    act(curator_client, "software", "merge", [source], apply="1", target=target.pk)
    assert not Software.objects.filter(pk=source.pk).exists()
    referent.refresh_from_db()
    assert referent.software == target


def test_the_history_view_shows_who_changed_an_entry(curator_client):
    agent = factories.agent_create(email="auteur@numerique.gouv.fr")
    software = factories.software_create(added_by=agent)
    software_update(actor=agent, software=software, function="Nouvelle fonction")
    response = curator_client.get(reverse("admin:catalog_software_history", args=[software.pk]))
    assert response.status_code == 200
    assert "auteur@numerique.gouv.fr" in response.content.decode()


def test_hiding_comments_needs_a_reason_and_resolves_reports(curator_client):
    comment = factories.comment_create(
        software=factories.software_create(), author=factories.agent_create()
    )
    report = comment_report(reporter=factories.agent_create(), comment=comment, reason="Spam")
    act(curator_client, "commentreport", "hide_comments", [report])
    comment.refresh_from_db()
    assert not comment.is_hidden
    act(curator_client, "commentreport", "hide_comments", [report], apply="1", reason="Publicité")
    comment.refresh_from_db()
    report.refresh_from_db()
    assert comment.is_hidden and comment.hidden_reason == "Publicité"
    assert report.resolved
    act(curator_client, "comment", "unhide", [comment])
    comment.refresh_from_db()
    assert not comment.is_hidden


def test_resolving_a_report_keeps_the_comment_visible(curator_client):
    comment = factories.comment_create(
        software=factories.software_create(), author=factories.agent_create()
    )
    report = comment_report(reporter=factories.agent_create(), comment=comment)
    act(curator_client, "commentreport", "resolve", [report])
    assert CommentReport.objects.get().resolved
    assert not Comment.objects.get().is_hidden


def test_curators_export_declarations_as_csv_with_agents_e_mails(curator_client):
    software = factories.software_create(name="GLPI", sill_id=44)
    referent = factories.agent_create(email="referent@interieur.gouv.fr")
    factories.referent_create(software=software, agent=referent, is_technical_expert=True)
    factories.user_create(
        software=software, agent=factories.agent_create(email="user@insee.fr"), os="linux"
    )
    response = curator_client.post(
        changelist("software"),
        {"action": "export_declarations_csv", ACTION_CHECKBOX_NAME: [software.pk]},
    )
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [(r["kind"], r["agent_email"], r["sill_id"]) for r in rows] == [
        ("referent", "referent@interieur.gouv.fr", "44"),
        ("user", "user@insee.fr", "44"),
    ]
    assert rows[0]["technical_expert"] == "yes"
    assert rows[1]["os"] == "linux"
