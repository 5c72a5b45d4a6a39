"""Comments: sanitised Markdown, edits by their author, reports once, moderation."""

import pytest

from inventory.catalog.markdown import render_markdown
from inventory.catalog.models import Comment, CommentReport
from inventory.catalog.services import (
    comment_create,
    comment_edit,
    comment_hide,
    comment_report,
    comment_reports_resolve,
    comment_unhide,
    software_propose,
    software_update,
)
from inventory.core.exceptions import ApplicationError
from tests.inventory.catalog import factories
from tests.inventory.catalog.test_markdown import HOSTILE

pytestmark = pytest.mark.django_db

DANGEROUS = ("<script", "onerror", "onload", "javascript:", "data:", "<iframe", "<svg")


@pytest.mark.parametrize("body", HOSTILE)
def test_hostile_comments_are_stored_inert(body):
    comment = comment_create(
        author=factories.agent_create(), software=factories.software_create(), body=body
    )
    stored = Comment.objects.get(pk=comment.pk)
    assert stored.body == body.strip()
    assert not any(needle in stored.body_html.lower() for needle in DANGEROUS)


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_descriptions_render_inert(text):
    agent = factories.agent_create()
    software = software_propose(agent=agent, name="Outil", license="MIT", long_description=text)
    software_update(actor=agent, software=software, description=text)
    software.refresh_from_db()
    for stored in (software.long_description, software.description):
        assert not any(needle in render_markdown(stored).lower() for needle in DANGEROUS)


def test_markdown_in_a_comment_is_rendered():
    comment = comment_create(
        author=factories.agent_create(), software=factories.software_create(), body="**Très** bien"
    )
    assert "<strong>Très</strong>" in comment.body_html


def test_an_empty_comment_is_refused():
    with pytest.raises(ApplicationError):
        comment_create(
            author=factories.agent_create(), software=factories.software_create(), body="  "
        )
    assert not Comment.objects.exists()


def test_an_edited_comment_is_marked_and_rerendered():
    author = factories.agent_create()
    comment = comment_create(author=author, software=factories.software_create(), body="Avant")
    comment = comment_edit(actor=author, comment=comment, body="<script>x</script>*Après*")
    assert comment.edited
    assert comment.body_html == "<p><em>Après</em></p>"


def test_a_comment_is_reported_once_per_agent():
    comment = factories.comment_create(
        software=factories.software_create(), author=factories.agent_create()
    )
    reporter = factories.agent_create()
    comment_report(reporter=reporter, comment=comment, reason="Publicité")
    with pytest.raises(ApplicationError, match="already reported"):
        comment_report(reporter=reporter, comment=comment)
    assert CommentReport.objects.count() == 1


def test_hiding_a_comment_needs_a_reason_and_resolves_its_reports():
    comment = factories.comment_create(
        software=factories.software_create(), author=factories.agent_create()
    )
    comment_report(reporter=factories.agent_create(), comment=comment)
    curator = factories.curator_create()
    with pytest.raises(ApplicationError):
        comment_hide(curator=curator, comment=comment, reason="")
    comment = comment_hide(curator=curator, comment=comment, reason="Propos injurieux")
    assert comment.is_hidden
    assert comment.hidden_reason == "Propos injurieux"
    assert not CommentReport.objects.filter(resolved=False).exists()
    comment = comment_unhide(curator=curator, comment=comment)
    assert not comment.is_hidden
    assert comment.hidden_reason == ""


def test_a_curator_can_resolve_reports_without_hiding_the_comment():
    comment = factories.comment_create(
        software=factories.software_create(), author=factories.agent_create()
    )
    report = comment_report(reporter=factories.agent_create(), comment=comment)
    assert comment_reports_resolve(curator=factories.curator_create(), reports=[report]) == 1
    report.refresh_from_db()
    comment.refresh_from_db()
    assert report.resolved
    assert not comment.is_hidden
