"""Comments on software: Markdown rendered and sanitised on write, reports and moderation."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from inventory.catalog.markdown import render_markdown
from inventory.catalog.models import Comment, CommentReport, Software
from inventory.catalog.services._base import (
    is_curator,
    require_agent,
    require_curator,
    save_validated,
)
from inventory.core.exceptions import ApplicationError, PermissionDenied

MAX_COMMENT_LENGTH = 10_000


def _clean_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise ApplicationError(_("A comment cannot be empty."), {"field": "body"})
    if len(body) > MAX_COMMENT_LENGTH:
        raise ApplicationError(
            _("A comment is at most %(max)s characters long.") % {"max": MAX_COMMENT_LENGTH},
            {"field": "body"},
        )
    return body


@transaction.atomic
def comment_create(*, author, software: Software, body: str) -> Comment:
    require_agent(author)
    body = _clean_body(body)
    comment = Comment(software=software, author=author, body=body, body_html=render_markdown(body))
    save_validated(comment, actor=author)
    return comment


@transaction.atomic
def comment_edit(*, actor, comment: Comment, body: str) -> Comment:
    require_agent(actor)
    if comment.author_id != actor.pk and not is_curator(actor):
        raise PermissionDenied(_("You can only edit your own comments."))
    body = _clean_body(body)
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    comment.body = body
    comment.body_html = render_markdown(body)
    comment.edited = True
    save_validated(comment, actor=actor)
    return comment


@transaction.atomic
def comment_report(*, reporter, comment: Comment, reason: str = "") -> CommentReport:
    """An agent reports a comment to the curators (once per comment)."""
    require_agent(reporter)
    if CommentReport.objects.filter(comment=comment, reporter=reporter).exists():
        raise ApplicationError(_("You have already reported this comment."))
    report = CommentReport(comment=comment, reporter=reporter, reason=(reason or "").strip())
    save_validated(report, actor=reporter)
    return report


@transaction.atomic
def comment_hide(*, curator, comment: Comment, reason: str) -> Comment:
    """A curator hides a comment; its reports are resolved."""
    require_curator(curator)
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError(_("Say why the comment is hidden."), {"field": "reason"})
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    comment.is_hidden = True
    comment.hidden_reason = reason
    save_validated(comment, actor=curator)
    comment.reports.filter(resolved=False).update(resolved=True)
    return comment


@transaction.atomic
def comment_unhide(*, curator, comment: Comment) -> Comment:
    require_curator(curator)
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    comment.is_hidden = False
    comment.hidden_reason = ""
    save_validated(comment, actor=curator)
    return comment


@transaction.atomic
def comment_reports_resolve(*, curator, reports) -> int:
    """A curator closes reports without hiding the comment (it was fine)."""
    require_curator(curator)
    return CommentReport.objects.filter(pk__in=[r.pk for r in reports], resolved=False).update(
        resolved=True
    )
