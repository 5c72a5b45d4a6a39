"""Commenting on a software, editing one's comment and reporting someone else's."""

import pytest

from inventory.catalog.models import Comment, CommentReport
from tests.inventory.catalog import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def software(db):
    return factories.software_create(name="Matrix")


def test_agent_comments_with_markdown_and_sees_it_on_the_page(agent_client, software):
    response = agent_client.post(
        f"/logiciels/{software.slug}/commentaires/", {"body": "Très **utile**."}
    )
    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/logiciels/{software.slug}/#comment-{comment.pk}"
    html = agent_client.get(f"/logiciels/{software.slug}/").content.decode()
    assert "<strong>utile</strong>" in html


def test_hostile_comment_is_rendered_inert(agent_client, client, software):
    agent_client.post(
        f"/logiciels/{software.slug}/commentaires/",
        {
            "body": '<script>alert(1)</script> <a href="javascript:alert(2)">x</a> [y](javascript:alert(3))'
        },
    )
    html = client.get(f"/logiciels/{software.slug}/").content.decode()
    assert "<script>alert(1)" not in html
    assert "javascript:alert" not in html


def test_empty_comment_is_refused_with_a_field_error(agent_client, software):
    response = agent_client.post(f"/logiciels/{software.slug}/commentaires/", {"body": "   "})
    assert response.status_code == 400
    assert "fr-input-group--error" in response.content.decode()
    assert not Comment.objects.exists()


def test_anonymous_visitor_cannot_comment(client, software):
    response = client.post(f"/logiciels/{software.slug}/commentaires/", {"body": "Spam"})
    assert response.status_code == 302
    assert not Comment.objects.exists()
    assert 'name="body"' not in client.get(f"/logiciels/{software.slug}/").content.decode()


def test_author_edits_their_comment(agent_client, agent, software):
    comment = factories.comment_create(software=software, author=agent, body="Avant")
    assert "Avant" in agent_client.get(f"/commentaires/{comment.pk}/modifier/").content.decode()
    agent_client.post(f"/commentaires/{comment.pk}/modifier/", {"body": "Après"})
    comment.refresh_from_db()
    assert comment.body == "Après" and comment.edited
    assert "(modifié)" in agent_client.get(f"/logiciels/{software.slug}/").content.decode()


def test_others_cannot_edit_a_comment_but_can_report_it(other_client, other_agent, agent, software):
    comment = factories.comment_create(software=software, author=agent, body="Avant")
    assert (
        other_client.post(f"/commentaires/{comment.pk}/modifier/", {"body": "Pirate"}).status_code
        == 403
    )
    comment.refresh_from_db()
    assert comment.body == "Avant"
    page = other_client.get(f"/logiciels/{software.slug}/").content.decode()
    assert f'href="/commentaires/{comment.pk}/signaler/"' in page
    response = other_client.post(f"/commentaires/{comment.pk}/signaler/", {"reason": "Hors sujet"})
    assert response.status_code == 302
    report = CommentReport.objects.get()
    assert report.reporter == other_agent and report.reason == "Hors sujet"


def test_reporting_twice_is_explained_not_an_error(other_client, agent, software):
    comment = factories.comment_create(software=software, author=agent)
    other_client.post(f"/commentaires/{comment.pk}/signaler/", {"reason": ""})
    response = other_client.post(f"/commentaires/{comment.pk}/signaler/", {"reason": ""})
    assert response.status_code == 200
    assert 'class="errorlist nonfield"' in response.content.decode()
    assert CommentReport.objects.count() == 1


def test_hidden_comments_are_not_shown_nor_editable(agent_client, agent, client, software):
    comment = factories.comment_create(software=software, author=agent, body="Caché")
    Comment.objects.filter(pk=comment.pk).update(is_hidden=True)
    assert "Caché" not in client.get(f"/logiciels/{software.slug}/").content.decode()
    assert agent_client.get(f"/commentaires/{comment.pk}/modifier/").status_code == 404
