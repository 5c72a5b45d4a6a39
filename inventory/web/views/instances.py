"""Adding, editing and removing the instances an organisation runs."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from inventory.catalog import selectors
from inventory.catalog.services import (
    instance_add,
    instance_delete,
    instance_is_editable,
    instance_update,
)
from inventory.web.forms import InstanceEditForm, InstanceForm
from inventory.web.views.base import call_action, call_service, software_or_404
from inventory.web.views.declarations import membership_notice, organisation_settle


@login_required
@require_http_methods(["GET", "POST"])
def instance_add_view(request: HttpRequest, slug: str) -> HttpResponse:
    software = software_or_404(slug, viewer=request.user)
    form = InstanceForm(request.POST if request.method == "POST" else None, agent=request.user)
    if request.method == "POST" and form.is_valid() and organisation_settle(request.user, form):
        ok, _instance = call_service(
            form, instance_add, agent=request.user, software=software, **form.service_data()
        )
        if ok:
            messages.success(request, _("The instance is added."))
            return redirect("web:software_detail", slug=software.slug)
    return render(
        request,
        "catalog/form_page.html",
        {
            "title": _("Add an instance of %(name)s") % {"name": software.name},
            "intro": _("An instance is a running installation your organisation offers."),
            "form": form,
            "submit_label": _("Add the instance"),
            "needs_organisation": True,
            "membership_notice": membership_notice(request.user),
            "cancel_url": reverse("web:software_detail", args=[software.slug]),
        },
    )


def _instance_or_404(pk: int, *, editor):
    """The instance, when ``editor`` may change it (else 403: the page offers nothing to do)."""
    instance = selectors.instance_get(pk=pk)
    if instance is None:
        raise Http404
    if not instance_is_editable(actor=editor, instance=instance):
        raise DjangoPermissionDenied(_("You can only change your own organisation's instances."))
    return instance


@login_required
@require_http_methods(["GET", "POST"])
def instance_edit(request: HttpRequest, pk: int) -> HttpResponse:
    instance = _instance_or_404(pk, editor=request.user)
    initial = {"public_url": instance.public_url, "target_audience": instance.target_audience}
    form = InstanceEditForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        ok, _instance = call_service(
            form, instance_update, actor=request.user, instance=instance, **form.cleaned_data
        )
        if ok:
            messages.success(request, _("The instance is updated."))
            return redirect("web:software_detail", slug=instance.software.slug)
    return render(
        request,
        "catalog/form_page.html",
        {
            "title": _("Edit an instance of %(name)s") % {"name": instance.software.name},
            "form": form,
            "submit_label": _("Save"),
            "cancel_url": reverse("web:software_detail", args=[instance.software.slug]),
            "delete_url": reverse("web:instance_delete", args=[instance.pk]),
            "delete_label": _("Remove this instance"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def instance_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    instance = _instance_or_404(pk, editor=request.user)
    slug = instance.software.slug
    if request.method == "POST":
        if call_action(request, instance_delete, actor=request.user, instance=instance):
            messages.success(request, _("The instance is removed."))
        return redirect("web:software_detail", slug=slug)
    return render(
        request,
        "catalog/confirm.html",
        {
            "title": _("Remove an instance of %(name)s") % {"name": instance.software.name},
            "question": _("Remove the instance %(url)s?")
            % {"url": instance.public_url or _("internal instance")},
            "submit_label": _("Remove"),
            "cancel_url": reverse("web:software_detail", args=[slug]),
        },
    )
