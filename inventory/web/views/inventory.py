"""Code-inventory pages: repository search, organisations by ministry, accounts, and proposals.

The repository search filters through ``inventory.forges.selectors.repository_list``, as the API
does, so a page of results and its "download these results" link select the same repositories.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.db.models import (
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
)
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from inventory.core.exceptions import ApplicationError
from inventory.forges import selectors as forge_selectors
from inventory.forges.models import Account, AccountKind, AccountState, Forge, Repository
from inventory.forges.services.account_proposals import account_propose
from inventory.organisations.models import Organisation
from inventory.organisations.selectors import organisation_list_by_ministry
from inventory.web.forms import WebForm
from inventory.web.views.base import call_service

PAGE_SIZE = 20
ACTIVITY_DAYS = {"month": 30, "year": 365}
SORTS = ("reuse", "stars", "activity")


# --- Reads (the inventory's selectors do the filtering; these add what only the pages need) ----


def repositories_sorted(queryset: QuerySet[Repository], sort: str) -> QuerySet[Repository]:
    """Reuse score (code.gouv.fr's awesome-score), stars or last activity, best first."""
    queryset = queryset.annotate(reuse_score=forge_selectors.awesome_score_expression())
    if sort == "stars":
        return queryset.order_by("-stars", "full_name", "pk")
    if sort == "activity":
        return queryset.order_by(F("pushed_at").desc(nulls_last=True), "full_name", "pk")
    return queryset.order_by("-reuse_score", "-stars", "full_name", "pk")


def repositories_inactive_since(
    queryset: QuerySet[Repository], since: datetime
) -> QuerySet[Repository]:
    """Neither updated nor pushed since then: the complement of the API's ``updated_since``."""
    return queryset.exclude(Q(updated_at__gte=since) | Q(pushed_at__gte=since))


@dataclass(frozen=True)
class RepositoryFilterChoices:
    ministries: list[Organisation]
    organisations: list[Organisation]
    forges: list[str]
    languages: list[str]
    licenses: list[str]


def _distinct_values(field: str) -> list[str]:
    values = (
        Repository.objects.filter(gone_at__isnull=True)
        .exclude(**{field: ""})
        .order_by()
        .values_list(field, flat=True)
        .distinct()
    )
    return sorted(values, key=str.casefold)


def repository_filter_choices() -> RepositoryFilterChoices:
    """The options of the search form: only values some repository has."""
    listed = Repository.objects.filter(
        account__organisation=OuterRef("pk"),
        account__state__in=forge_selectors.PUBLIC_ACCOUNT_STATES,
        gone_at__isnull=True,
    )
    organisations = list(
        Organisation.objects.filter(Exists(listed)).select_related("ministry").order_by("name")
    )
    # A ministry is offered when it, or an organisation under it, has repositories.
    ministries = {
        organisation.pk: organisation for organisation in organisations if organisation.is_top
    }
    for organisation in organisations:
        if organisation.ministry and organisation.ministry.is_top:
            ministries.setdefault(organisation.ministry.pk, organisation.ministry)
    return RepositoryFilterChoices(
        ministries=sorted(ministries.values(), key=lambda ministry: (ministry.name, ministry.pk)),
        organisations=organisations,
        forges=list(
            Forge.objects.filter(repositories__gone_at__isnull=True)
            .distinct()
            .order_by("host")
            .values_list("host", flat=True)
        ),
        languages=_distinct_values("language"),
        licenses=_distinct_values("license_spdx"),
    )


def account_public_get(*, pk: int) -> Account | None:
    """An account the registry lists (not a mere proposal), with its repository count."""
    return forge_selectors.account_list().filter(pk=pk).first()


# --- Repository search ----------------------------------------------------------------------


class RepositorySearchForm(forms.Form):
    """The query string of /code/; a value that does not validate is ignored, never an error."""

    q = forms.CharField(required=False, max_length=200)
    ministry = forms.SlugField(required=False, max_length=120)
    organisation = forms.SlugField(required=False, max_length=120)
    forge = forms.CharField(required=False, max_length=255)
    language = forms.CharField(required=False, max_length=100)
    license = forms.CharField(required=False, max_length=100)
    topic = forms.CharField(required=False, max_length=100)
    activity = forms.ChoiceField(
        required=False, choices=[("", ""), ("month", ""), ("year", ""), ("older", "")]
    )
    forks = forms.BooleanField(required=False)
    archived = forms.BooleanField(required=False)
    sort = forms.ChoiceField(required=False, choices=[(value, value) for value in SORTS])

    FILTER_FIELDS = ("q", "ministry", "organisation", "forge", "language", "license", "topic")

    def values(self) -> dict[str, Any]:
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        values = {name: cleaned.get(name) for name in self.fields if name not in self.errors}
        for name in self.FILTER_FIELDS:
            values[name] = (values.get(name) or "").strip()
        values["topic"] = values["topic"].lower()
        values["sort"] = values.get("sort") or "reuse"
        values["activity"] = values.get("activity") or ""
        values["forks"] = bool(values.get("forks"))
        values["archived"] = bool(values.get("archived"))
        return values


def _selector_filters(values: dict[str, Any], now: datetime) -> dict[str, Any]:
    """The search as ``repository_list`` filters (the API's parameters, parsed)."""
    filters: dict[str, Any] = {name: values[name] for name in RepositorySearchForm.FILTER_FIELDS}
    if not values["forks"]:
        filters["fork"] = False
    if not values["archived"]:
        filters["archived"] = False
    if values["activity"] in ACTIVITY_DAYS:
        filters["updated_since"] = now - timedelta(days=ACTIVITY_DAYS[values["activity"]])
    return filters


def _download_query(filters: dict[str, Any]) -> str:
    """The API query string selecting the same repositories (booleans, dates as it reads them)."""
    params: dict[str, str] = {}
    for name, value in filters.items():
        if value in (None, ""):
            continue
        if isinstance(value, bool):
            params[name] = "true" if value else "false"
        elif isinstance(value, datetime):
            params[name] = value.replace(microsecond=0).isoformat()
        else:
            params[name] = str(value)
    return urlencode(params)


def repository_search(request: HttpRequest) -> HttpResponse:
    values = RepositorySearchForm(request.GET).values()
    now = timezone.now()
    filters = _selector_filters(values, now)
    queryset = forge_selectors.repository_list(filters=filters)
    if values["activity"] == "older":
        queryset = repositories_inactive_since(
            queryset, now - timedelta(days=ACTIVITY_DAYS["year"])
        )
    page = Paginator(repositories_sorted(queryset, values["sort"]), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    download = _download_query(filters)
    api_url = reverse("api:repository-list")
    filters_active = any(values[name] for name in RepositorySearchForm.FILTER_FIELDS) or any(
        values[name] for name in ("activity", "forks", "archived")
    )
    return render(
        request,
        "inventory/repository_list.html",
        {
            "title": _("Public-sector source code"),
            "values": values,
            "choices": repository_filter_choices(),
            "page_obj": page,
            "filters_active": filters_active,
            "download_json_url": f"{api_url}?{download}&page_size=500&format=json".replace(
                "?&", "?"
            ),
        },
    )


# --- Organisations and accounts ---------------------------------------------------------------


def organisation_list(request: HttpRequest) -> HttpResponse:
    groups = organisation_list_by_ministry(with_accounts_only=True)
    accounts_by_organisation: dict[int | None, list[Account]] = {}
    for account in forge_selectors.account_list().order_by("forge__host", "login", "pk"):
        accounts_by_organisation.setdefault(account.organisation_id, []).append(account)
    for group in groups:
        for organisation in group.organisations:
            organisation.listed_accounts = accounts_by_organisation.get(organisation.pk, [])
    return render(
        request,
        "inventory/organisation_list.html",
        {
            "title": _("Organisations and their forge accounts"),
            "groups": groups,
            "unattached_accounts": accounts_by_organisation.get(None, []),
        },
    )


def account_detail(request: HttpRequest, pk: int) -> HttpResponse:
    account = account_public_get(pk=pk)
    if account is None:
        raise Http404
    crawls = list(account.crawls.select_related("run").order_by("-started_at", "-pk")[:5])
    repositories = repositories_sorted(
        Repository.objects.filter(account=account, gone_at__isnull=True).select_related("forge"),
        "reuse",
    )
    page = Paginator(repositories, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "inventory/account_detail.html",
        {
            "title": str(account),
            "account": account,
            "last_crawl": crawls[0] if crawls else None,
            "crawls": crawls,
            "page_obj": page,
        },
    )


# --- Getting listed ---------------------------------------------------------------------------


class AccountProposalForm(WebForm):
    forge_host = forms.ChoiceField(
        label=gettext_lazy("Forge"),
        help_text=gettext_lazy(
            "Instances dedicated to the public sector are crawled whole and are not offered here."
        ),
    )
    login = forms.CharField(
        label=gettext_lazy("Organisation, group or user name on the forge"),
        help_text=gettext_lazy(
            "As in its address: etalab for https://github.com/etalab, a group path such as "
            "my-group/my-subgroup on GitLab."
        ),
        max_length=255,
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind of account"),
        choices=[
            (AccountKind.ORG, gettext_lazy("Organisation (GitHub, Gitea)")),
            (AccountKind.GROUP, gettext_lazy("Group (GitLab)")),
            (AccountKind.USER, gettext_lazy("User")),
        ],
    )
    organisation = forms.ModelChoiceField(
        label=gettext_lazy("Organisation"),
        queryset=Organisation.objects.order_by("name"),
        required=False,
        help_text=gettext_lazy("Leave empty for your own organisation."),
    )
    note = forms.CharField(
        label=gettext_lazy("Note for the curators"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        hosts = Forge.objects.filter(whole_instance=False).order_by("host")
        self.fields["forge_host"].choices = [("", "—")] + [
            (host, host) for host in hosts.values_list("host", flat=True)
        ]


def _duplicate_notice(form: AccountProposalForm) -> dict | None:
    """The registered account a proposal duplicates: said once, with a link where it is public."""
    error: ApplicationError | None = getattr(form, "service_error", None)
    existing_id = error.extra.get("account_id") if error is not None else None
    if existing_id is None:
        return None
    existing = Account.objects.filter(pk=existing_id).select_related("forge").first()
    if existing is None:
        return None
    form.errors.pop(forms.forms.NON_FIELD_ERRORS, None)
    public = existing.state in forge_selectors.PUBLIC_ACCOUNT_STATES
    return {
        "account": existing,
        "url": reverse("web:account_detail", args=[existing.pk]) if public else "",
        "proposed": existing.state == AccountState.PROPOSED,
    }


@require_http_methods(["GET", "POST"])
def account_proposal(request: HttpRequest) -> HttpResponse:
    """What the inventory lists, how to get listed, and the form to propose an account."""
    signed_in = request.user.is_authenticated
    if request.method == "POST" and not signed_in:
        return redirect_to_login(request.get_full_path())
    form = AccountProposalForm(request.POST if request.method == "POST" else None)
    duplicate = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        ok, account = call_service(
            form,
            account_propose,
            agent=request.user,
            forge_host=data["forge_host"],
            login=data["login"],
            kind=data["kind"],
            organisation=data["organisation"],
            note=data["note"],
        )
        if ok:
            messages.success(
                request,
                _(
                    "Thank you: %(account)s is proposed. Once a curator accepts it, the next "
                    "crawl lists its repositories."
                )
                % {"account": account},
            )
            return redirect("web:account_proposal")
        duplicate = _duplicate_notice(form)
    proposals = (
        Account.objects.filter(proposed_by=request.user)
        .select_related("forge")
        .order_by("-created_at", "-pk")
        if signed_in
        else Account.objects.none()
    )
    figures = Account.objects.filter(state__in=forge_selectors.PUBLIC_ACCOUNT_STATES).aggregate(
        accounts=Count("pk"), forges=Count("forge", distinct=True)
    )
    return render(
        request,
        "inventory/account_proposal.html",
        {
            "title": _("Get your code listed"),
            "form": form,
            "duplicate": duplicate,
            "proposals": list(proposals),
            "figures": figures,
            "whole_instances": list(
                Forge.objects.filter(whole_instance=True)
                .order_by("host")
                .values_list("host", flat=True)
            ),
            "signed_in": signed_in,
        },
    )
