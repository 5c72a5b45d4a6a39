"""Writing, editing and reporting comments on a software page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from inventory.catalog import selectors
from inventory.catalog.services import comment_create, comment_edit, comment_report
from inventory.web.forms import CommentForm, ReportForm
from inventory.web.views.base import call_service, software_or_404


def _comment_or_404(pk: int):
    comment = selectors.comment_get(pk=pk)
    if comment is None:
        raise Http404
    return comment


def _comment_url(comment) -> str:
    return reverse("web:software_detail", args=[comment.software.slug]) + f"#comment-{comment.pk}"


@login_required
@require_POST
def comment_create_view(request: HttpRequest, slug: str) -> HttpResponse:
    software = software_or_404(slug, viewer=request.user)
    form = CommentForm(request.POST)
    if form.is_valid():
        ok, comment = call_service(
            form,
            comment_create,
            author=request.user,
            software=software,
            body=form.cleaned_data["body"],
        )
        if ok:
            messages.success(request, _("Your comment is published."))
            return redirect(_comment_url(comment))
    return render(
        request,
        "catalog/form_page.html",
        {
            "title": _("Comment on %(name)s") % {"name": software.name},
            "form": form,
            "submit_label": _("Publish my comment"),
            "cancel_url": reverse("web:software_detail", args=[software.slug]),
        },
        status=400,
    )


@login_required
@require_http_methods(["GET", "POST"])
def comment_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    comment = _comment_or_404(pk)
    form = CommentForm(
        request.POST if request.method == "POST" else None, initial={"body": comment.body}
    )
    if request.method == "POST" and form.is_valid():
        ok, comment = call_service(
            form, comment_edit, actor=request.user, comment=comment, body=form.cleaned_data["body"]
        )
        if ok:
            messages.success(request, _("Your comment is updated."))
            return redirect(_comment_url(comment))
    return render(
        request,
        "catalog/form_page.html",
        {
            "title": _("Edit my comment on %(name)s") % {"name": comment.software.name},
            "form": form,
            "submit_label": _("Save"),
            "cancel_url": _comment_url(comment),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def comment_report_view(request: HttpRequest, pk: int) -> HttpResponse:
    comment = _comment_or_404(pk)
    form = ReportForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        ok, _report = call_service(
            form,
            comment_report,
            reporter=request.user,
            comment=comment,
            reason=form.cleaned_data["reason"],
        )
        if ok:
            messages.success(request, _("Thank you: curators will look at this comment."))
            return redirect(_comment_url(comment))
    return render(
        request,
        "catalog/form_page.html",
        {
            "title": _("Report a comment on %(name)s") % {"name": comment.software.name},
            "intro": _(
                "Report a comment that is abusive, off-topic or reveals private information."
            ),
            "form": form,
            "submit_label": _("Report it"),
            "cancel_url": _comment_url(comment),
        },
    )
