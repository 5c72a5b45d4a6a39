"""Declaring oneself referent or user of a software, editing and withdrawing it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from inventory.agents.models import MembershipStatus
from inventory.agents.selectors import membership_get
from inventory.agents.services import membership_request
from inventory.catalog.services import (
    referent_declare,
    referent_withdraw,
    user_declare,
    user_withdraw,
)
from inventory.core.exceptions import ApplicationError, PermissionDenied
from inventory.web.forms import ReferentForm, UserForm
from inventory.web.views.base import call_action, call_service, software_or_404

KINDS = {
    "referent": {
        "form": ReferentForm,
        "declare": referent_declare,
        "withdraw": referent_withdraw,
        "related": "referents",
        "fields": ("use_case", "is_technical_expert", "version", "service_url"),
    },
    "user": {
        "form": UserForm,
        "declare": user_declare,
        "withdraw": user_withdraw,
        "related": "users",
        "fields": ("use_case", "version", "os", "service_url"),
    },
}


def organisation_settle(agent, form) -> bool:
    """When the form asked the agent's organisation, make it theirs (a membership approved when
    their identity proves it, else requested); False with the error on the form otherwise."""
    if not form.asks_organisation:
        return True
    if form.organisation_step:
        return False
    organisation, new_name = form.organisation_chosen()
    try:
        membership_request(agent=agent, organisation=organisation, new_name=new_name)
    except PermissionDenied as error:
        raise DjangoPermissionDenied(error.message) from error
    except ApplicationError as error:
        form.add_error("organisation_name", error.message)
        return False
    return True


def membership_notice(agent) -> str:
    """What the agent's membership of their organisation allows, for the pages that act for it."""
    if agent.is_staff or agent.organisation_id is None:
        return ""
    membership = membership_get(agent=agent, organisation_id=agent.organisation_id)
    if membership is not None and membership.status == MembershipStatus.APPROVED:
        return ""
    return _(
        "Your membership of %(organisation)s awaits approval by a curator or a member: until "
        "then you can declare and add instances, and change only what you created."
    ) % {"organisation": agent.organisation.name}


def _existing(software, agent, kind: str):
    return getattr(software, KINDS[kind]["related"]).filter(agent=agent).first()


@login_required
@require_http_methods(["GET", "POST"])
def declare(request: HttpRequest, slug: str, kind: str) -> HttpResponse:
    """One short form: the agent's organisation is preselected, everything else optional."""
    software = software_or_404(slug, viewer=request.user)
    spec = KINDS[kind]
    existing = _existing(software, request.user, kind)
    initial = {name: getattr(existing, name) for name in spec["fields"]} if existing else {}
    if existing:
        initial["organisation"] = existing.organisation_id
    form = spec["form"](
        request.POST if request.method == "POST" else None, agent=request.user, initial=initial
    )
    if request.method == "POST" and form.is_valid() and organisation_settle(request.user, form):
        ok, _declaration = call_service(
            form, spec["declare"], agent=request.user, software=software, **form.service_data()
        )
        if ok:
            if kind == "referent":
                message = _("You are now listed as a referent of %(name)s.")
            else:
                message = _("You are now listed as a user of %(name)s.")
            if existing:
                message = _("Your declaration for %(name)s is updated.")
            messages.success(request, message % {"name": software.name})
            return redirect("web:software_detail", slug=software.slug)
    if kind == "referent":
        title = _("Become a referent of %(name)s") % {"name": software.name}
    else:
        title = _("Declare that you use %(name)s") % {"name": software.name}
    return render(
        request,
        "catalog/declaration_form.html",
        {
            "title": title,
            "form": form,
            "software": software,
            "kind": kind,
            "existing": existing,
            "membership_notice": membership_notice(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def withdraw(request: HttpRequest, slug: str, kind: str) -> HttpResponse:
    """A confirmation page (GET), then the withdrawal (POST)."""
    software = software_or_404(slug, viewer=request.user)
    existing = _existing(software, request.user, kind)
    if existing is None:
        messages.info(
            request, _("You had no such declaration for %(name)s.") % {"name": software.name}
        )
        return redirect("web:software_detail", slug=software.slug)
    if request.method == "POST":
        if call_action(request, KINDS[kind]["withdraw"], agent=request.user, software=software):
            messages.success(
                request, _("Your declaration for %(name)s is withdrawn.") % {"name": software.name}
            )
        return redirect("web:software_detail", slug=software.slug)
    if kind == "referent":
        question = _("You will no longer be listed as a referent of %(name)s.")
    else:
        question = _("You will no longer be listed as a user of %(name)s.")
    return render(
        request,
        "catalog/confirm.html",
        {
            "title": _("Withdraw my declaration for %(name)s") % {"name": software.name},
            "question": question % {"name": software.name},
            "submit_label": _("Withdraw"),
            "cancel_url": reverse("web:software_detail", args=[software.slug]),
        },
    )
