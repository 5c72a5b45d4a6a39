"""Proposing a software for the catalog and editing the entries one added."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from inventory.catalog.services import software_propose, software_update
from inventory.enrichment.services.proposals import proposal_form_initial
from inventory.web.forms import SoftwareForm
from inventory.web.views.base import call_service, software_or_404


def _duplicate(form) -> dict | None:
    """The existing entry a proposal duplicates: shown once, with a link, instead of an error."""
    error = getattr(form, "service_error", None)
    if error is not None and error.extra.get("existing_url"):
        form.errors.pop(NON_FIELD_ERRORS, None)
        return error.extra
    return None


@login_required
@require_http_methods(["GET", "POST"])
def software_propose_view(request: HttpRequest) -> HttpResponse:
    # "Propose this software" on an empty search names it already; from a source
    # (?source=wikidata&id=Q…: similar software, auto-fill) it fills what the source knows.
    initial = {"name": request.GET.get("name", "").strip()[:200]}
    if request.method == "GET" and request.GET.get("source"):
        initial |= proposal_form_initial(
            source=request.GET["source"], external_id=request.GET.get("id", "")
        )
    form = SoftwareForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        ok, software = call_service(
            form, software_propose, agent=request.user, **form.service_fields()
        )
        if ok:
            messages.success(
                request,
                _("Thank you: %(name)s is proposed. Curators will review it.")
                % {"name": software.name},
            )
            return redirect("web:software_detail", slug=software.slug)
    return render(
        request,
        "catalog/form_page.html",
        {
            "title": _("Propose a software"),
            "intro": _(
                "Propose a free software used in your organisation. Curators check it before it "
                "enters the catalog. Search the catalog first: it may already be there."
            ),
            "form": form,
            "duplicate": _duplicate(form),
            "submit_label": _("Propose it"),
            "cancel_url": reverse("web:software_list"),
            "autofill": True,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def software_edit(request: HttpRequest, slug: str) -> HttpResponse:
    software = software_or_404(slug, viewer=request.user)
    if not (request.user.is_staff or software.added_by_id == request.user.pk):
        raise PermissionDenied(_("You can only edit the software you added."))
    form = SoftwareForm(
        request.POST if request.method == "POST" else None,
        initial=SoftwareForm.initial_for(software),
    )
    if request.method == "POST" and form.is_valid():
        ok, software = call_service(
            form,
            software_update,
            actor=request.user,
            software=software,
            **form.service_fields(only_changed=True),
        )
        if ok:
            messages.success(request, _("%(name)s is updated.") % {"name": software.name})
            return redirect("web:software_detail", slug=software.slug)
    return render(
        request,
        "catalog/form_page.html",
        {
            "title": _("Edit %(name)s") % {"name": software.name},
            "form": form,
            "duplicate": _duplicate(form),
            "submit_label": _("Save"),
            "cancel_url": reverse("web:software_detail", args=[software.slug]),
        },
    )
