"""Sign-in by e-mail link, sign-out and the agent's profile: thin views over the services."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from inventory.agents.forms import MembershipRequestForm, ProfileForm, SignInForm
from inventory.agents.models import Membership, MembershipStatus
from inventory.agents.oidc import PROCONNECT_SESSION_KEY, proconnect_logout_url
from inventory.agents.selectors import (
    agent_memberships,
    membership_requests_for,
    organisation_search,
    signin_ticket_get,
)
from inventory.agents.services import (
    agent_update_profile,
    membership_decide,
    membership_request,
    signin_link_send,
    signin_link_use,
)
from inventory.agents.throttling import signin_request_allowed
from inventory.core.exceptions import ApplicationError, PermissionDenied

# Links are signed for django-sesame's backend, which also serves the sessions they open.
SESSION_BACKEND = "sesame.backends.ModelBackend"


def _safe_next(request: HttpRequest, url: str | None) -> str:
    """``url`` if it stays on this site, else an empty string."""
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return ""


def _link_minutes() -> int:
    return max(settings.SESAME_MAX_AGE // 60, 1)


@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    next_url = _safe_next(request, request.POST.get("next") or request.GET.get("next"))
    form = SignInForm(
        request.POST if request.method == "POST" else None, initial={"next": next_url}
    )
    context = {"form": form, "next": next_url, "proconnect_enabled": settings.PROCONNECT_ENABLED}
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        if not signin_request_allowed(email=email, ip=request.META.get("REMOTE_ADDR", "")):
            context["throttle_minutes"] = max(settings.SIGNIN_THROTTLE_WINDOW // 60, 1)
            return render(request, "agents/login.html", context, status=429)
        try:
            signin_link_send(
                email=email, base_url=request.build_absolute_uri("/"), next_url=next_url
            )
        except ApplicationError as error:
            form.add_error("email", error.message)
        else:
            return render(
                request, "agents/login_sent.html", {"email": email, "minutes": _link_minutes()}
            )
    return render(request, "agents/login.html", context)


@require_http_methods(["GET", "POST"])
def login_link_view(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button and uses nothing up (mail scanners open links); POST signs in."""
    next_url = _safe_next(request, request.GET.get("next"))
    if request.method == "GET":
        ticket = signin_ticket_get(token=token)
        return render(
            request,
            "agents/login_link.html",
            {"ticket": ticket, "minutes": _link_minutes()},
            status=200 if ticket else 403,
        )
    agent = signin_link_use(token=token)
    if agent is None:
        return render(
            request,
            "agents/login_link.html",
            {"ticket": None, "minutes": _link_minutes()},
            status=403,
        )
    login(request, agent, backend=SESSION_BACKEND)
    messages.success(request, _("You are signed in as %(email)s.") % {"email": agent.email})
    return redirect(next_url or resolve_url(settings.LOGIN_REDIRECT_URL))


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    id_token = request.session.get(PROCONNECT_SESSION_KEY)
    logout(request)
    if id_token and settings.PROCONNECT_ENABLED:
        return redirect(proconnect_logout_url(request, id_token=id_token))
    return redirect(resolve_url(settings.LOGOUT_REDIRECT_URL))


@login_required
@require_http_methods(["GET", "POST"])
def profile_view(request: HttpRequest) -> HttpResponse:
    agent = request.user
    form = ProfileForm(
        request.POST if request.method == "POST" else None,
        initial={
            "first_name": agent.first_name,
            "last_name": agent.last_name,
            "about": agent.about,
            "contact_public": agent.contact_public,
        },
    )
    if request.method == "POST" and form.is_valid():
        agent_update_profile(agent=agent, **form.cleaned_data)
        messages.success(request, _("Your profile was saved."))
        return redirect("agents:profile")
    return _profile_page(request, form=form, membership_form=MembershipRequestForm(agent=agent))


def _profile_page(request: HttpRequest, *, form, membership_form, status: int = 200):
    agent = request.user
    return render(
        request,
        "agents/profile.html",
        {
            "form": form,
            "agent": agent,
            "memberships": agent_memberships(agent=agent),
            "membership_form": membership_form,
            "requests_count": membership_requests_for(agent=agent).count(),
        },
        status=status,
    )


@login_required
@require_POST
def membership_request_view(request: HttpRequest) -> HttpResponse:
    """Ask to join an organisation (approved at once only when the agent's identity proves it)."""
    agent = request.user
    form = MembershipRequestForm(request.POST, agent=agent)
    if form.is_valid() and not form.organisation_step:
        organisation, new_name = form.organisation_chosen()
        try:
            membership = membership_request(
                agent=agent, organisation=organisation, new_name=new_name
            )
        except PermissionDenied as error:
            raise DjangoPermissionDenied(error.message) from error
        except ApplicationError as error:
            form.add_error("organisation_name", error.message)
        else:
            if membership.status == MembershipStatus.APPROVED:
                message = _("You are a member of %(organisation)s.")
            else:
                message = _(
                    "Your request to join %(organisation)s is sent to its members and the curators."
                )
            messages.success(request, message % {"organisation": membership.organisation.name})
            return redirect("agents:profile")
    profile_form = ProfileForm(
        initial={
            "first_name": agent.first_name,
            "last_name": agent.last_name,
            "about": agent.about,
            "contact_public": agent.contact_public,
        }
    )
    status = 200 if form.is_valid() else 400  # choosing among suggestions is no error
    return _profile_page(request, form=profile_form, membership_form=form, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def membership_requests_view(request: HttpRequest) -> HttpResponse:
    """Requests to join the agent's organisations, which members approve or refuse."""
    if request.method == "POST":
        membership = get_object_or_404(Membership, pk=_integer(request.POST.get("membership")))
        decision = request.POST.get("decision")
        if decision not in {"approve", "refuse"}:
            return _membership_requests_page(request, status=400)
        try:
            membership = membership_decide(
                actor=request.user, membership=membership, approve=decision == "approve"
            )
        except PermissionDenied as error:
            raise DjangoPermissionDenied(error.message) from error
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            if decision == "approve":
                message = _("%(agent)s is now a member of %(organisation)s.")
            else:
                message = _("The request of %(agent)s to join %(organisation)s is refused.")
            messages.success(
                request,
                message
                % {"agent": membership.agent.email, "organisation": membership.organisation.name},
            )
        return redirect("agents:membership_requests")
    return _membership_requests_page(request)


def _integer(value: str | None) -> int:
    return int(value) if value and value.isdigit() and len(value) < 18 else 0


def _membership_requests_page(request: HttpRequest, *, status: int = 200) -> HttpResponse:
    return render(
        request,
        "agents/membership_requests.html",
        {"requests": membership_requests_for(agent=request.user)},
        status=status,
    )


@require_GET
def organisation_suggest_view(request: HttpRequest) -> JsonResponse:
    """Organisations matching what an agent types, for the organisation fields' suggestions."""
    query = request.GET.get("q", "")[:200]
    if "\x00" in query:
        return JsonResponse({"results": []}, status=400)
    found = organisation_search(query=query, agent=request.user)
    return JsonResponse(
        {
            "results": [
                {"name": organisation.name, "acronym": organisation.acronym}
                for organisation in found
            ]
        }
    )
