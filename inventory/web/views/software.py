"""Proposing a software for the catalog and editing the entries one added."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_http_methods, require_safe

from inventory.catalog import selectors
from inventory.catalog.services import (
    software_duplicate_refuse,
    software_propose,
    software_update,
)
from inventory.core.exceptions import ApplicationError
from inventory.enrichment.services.proposals import proposal_form_initial
from inventory.web.forms import SoftwareForm
from inventory.web.views.base import call_service, software_or_404


def _duplicate(form) -> dict | None:
    """The existing entry a proposal duplicates: shown once, with a link, instead of an error."""
    error = getattr(form, "service_error", None)
    if error is not None and error.extra.get("existing_url"):
        form.errors.pop(NON_FIELD_ERRORS, None)
        return {**error.extra, "message": error.message}
    return None


def _duplicate_of_name(name: str) -> dict | None:
    """The entry a name already names (or nearly), before the agent fills in anything else."""
    try:
        software_duplicate_refuse(name=name, source_url="")
    except ApplicationError as error:
        return {**error.extra, "message": error.message}
    return None


PROPOSE_INTRO = _lazy(
    "Propose a free software used in your organisation. Curators check it before it enters the "
    "catalog."
)


@login_required
@require_http_methods(["GET", "POST"])
def software_propose_view(request: HttpRequest) -> HttpResponse:
    """Step 1 asks for the name alone; step 2 shows the entries that name looks like, then the
    whole form (a later step can be added between them, e.g. to fill it in from a source)."""
    if request.method == "POST":
        return _propose_submit(request)
    name = request.GET.get("name", "").strip()[:200]
    # From a source (?source=wikidata&id=Q…: similar software, the sources search), the form
    # is filled with what the source knows.
    initial = {"name": name}
    if request.GET.get("source"):
        initial |= proposal_form_initial(
            source=request.GET["source"], external_id=request.GET.get("id", "")
        )
        name = initial["name"]
    if not name:
        return _propose_name_step(request)
    return _propose_form_step(request, SoftwareForm(initial=initial), name=name)


def _propose_name_step(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "catalog/propose_name.html",
        {"title": _("Propose a software"), "intro": PROPOSE_INTRO},
    )


def _propose_form_step(
    request: HttpRequest, form: SoftwareForm, *, name: str, duplicate: dict | None = None
) -> HttpResponse:
    if duplicate is None and request.method == "GET":
        duplicate = _duplicate_of_name(name)
    matches = selectors.software_name_suggestions(name=name, viewer=request.user)
    if duplicate is not None:
        matches = [match for match in matches if match.pk != duplicate["existing_id"]]
    return render(
        request,
        "catalog/form_page.html",
        {
            "title": _("Propose a software"),
            "intro": PROPOSE_INTRO,
            "form": form,
            "duplicate": duplicate,
            "matches": matches,
            "submit_label": _("Propose it"),
            "cancel_url": reverse("web:software_list"),
            "autofill": True,
        },
    )


def _propose_submit(request: HttpRequest) -> HttpResponse:
    form = SoftwareForm(request.POST)
    if form.is_valid():
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
    name = request.POST.get("name", "").strip()[:200]
    return _propose_form_step(request, form, name=name, duplicate=_duplicate(form))


@require_safe
def software_name_suggestions_view(request: HttpRequest) -> JsonResponse:
    """The entries a name being typed looks like, for the proposal form's script."""
    name = request.GET.get("name", "").strip()[:200]
    matches = selectors.software_name_suggestions(name=name, viewer=request.user) if name else []
    return JsonResponse(
        {
            "results": [
                {
                    "name": software.name,
                    "url": reverse("web:software_detail", args=[software.slug]),
                    "status": software.get_status_display(),
                }
                for software in matches
            ]
        }
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
