"""Code-inventory pages: repository search, organisations by ministry, accounts, and proposals.

The repository search filters through ``inventory.forges.selectors.repository_list``, as the API
does, so a page of results and its "download these results" link select the same repositories.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

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
from django.http import Http404, HttpRequest, HttpResponse, QueryDict, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from inventory.core.exceptions import ApplicationError
from inventory.forges import selectors as forge_selectors
from inventory.forges.models import (
    Account,
    AccountKind,
    AccountState,
    Forge,
    Repository,
    RepositoryCountDimension,
)
from inventory.forges.services.account_proposals import account_propose
from inventory.opendata.downloads import repositories_download
from inventory.opendata.formats.writers import CONTENT_TYPES
from inventory.organisations.models import Organisation
from inventory.organisations.naming import organisations_named_q
from inventory.web import pagination
from inventory.web.cards import CARD_FIELDS
from inventory.web.forms import WebForm
from inventory.web.menus import MenuOptions
from inventory.web.pagination import BoundedPaginator
from inventory.web.shared import shared_value
from inventory.web.views.base import call_service

PAGE_SIZE = 20
ACTIVITY_DAYS = {"month": 30, "year": 365}
SORTS = ("reuse", "stars", "activity")


# --- Reads (the inventory's selectors do the filtering; these add what only the pages need) ----


def repositories_sorted(queryset: QuerySet[Repository], sort: str) -> QuerySet[Repository]:
    """Reuse score (code.gouv.fr's awesome-score, stored), stars or last activity, best first:
    each order is the order of an index (see Repository.Meta.indexes)."""
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


Choice = tuple[str, str]  # (value, label) of a menu option


@dataclass(frozen=True)
class RepositoryFilterChoices:
    ministries: MenuOptions
    organisations: MenuOptions
    forges: MenuOptions
    languages: MenuOptions
    licenses: MenuOptions


def _counted_values(dimension: str) -> MenuOptions:
    values = [value for value, _count in forge_selectors.repository_counts(dimension) if value]
    return MenuOptions((value, value) for value in sorted(values, key=str.casefold))


def repository_filter_choices() -> RepositoryFilterChoices:
    """The options of the search form: only values some repository has, read from the counts
    stored after each crawl run (and the accounts' counts), never from the repositories."""
    counted = Account.objects.filter(
        organisation=OuterRef("pk"),
        state__in=forge_selectors.PUBLIC_ACCOUNT_STATES,
        repositories_count__gt=0,
    )
    organisations = list(
        Organisation.objects.filter(Exists(counted), organisations_named_q())
        .order_by("name", "pk")
        .values_list(
            "pk", "slug", "name", "is_top", "ministry_id", "ministry__slug", "ministry__name",
            "ministry__is_top",
        )
    )  # fmt: skip
    # A ministry is offered when it, or an organisation under it, has repositories.
    ministries: dict[int, tuple[str, str]] = {}
    for pk, slug, name, is_top, *_ministry in organisations:
        if is_top:
            ministries[pk] = (slug, name)
    for *_organisation, ministry_id, ministry_slug, ministry_name, ministry_is_top in organisations:
        if ministry_id is not None and ministry_is_top:
            ministries.setdefault(ministry_id, (ministry_slug, ministry_name))
    return RepositoryFilterChoices(
        ministries=MenuOptions(
            (slug, name)
            for pk, (slug, name) in sorted(
                ministries.items(), key=lambda item: (item[1][1], item[0])
            )
        ),
        organisations=MenuOptions((slug, name) for _pk, slug, name, *_rest in organisations),
        forges=MenuOptions(
            (host, host)
            for host in sorted(
                value
                for value, _count in forge_selectors.repository_counts(
                    RepositoryCountDimension.FORGE
                )
            )
        ),
        languages=_counted_values(RepositoryCountDimension.LANGUAGE),
        licenses=_counted_values(RepositoryCountDimension.LICENSE),
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


def _searched(values: dict[str, Any]) -> QuerySet[Repository]:
    """The repositories the search selects (every filter of the page, activity included)."""
    now = timezone.now()
    queryset = forge_selectors.repository_list(filters=_selector_filters(values, now))
    if values["activity"] == "older":
        queryset = repositories_inactive_since(
            queryset, now - timedelta(days=ACTIVITY_DAYS["year"])
        )
    return queryset


def _paginated(values: dict[str, Any]) -> BoundedPaginator:
    """The search's repositories in the order asked, in a form each page reads by index, and
    counted once (a search's look at its matches is its count)."""
    queryset, counted = _searched(values), None
    if values["q"]:
        queryset, counted = forge_selectors.repository_matches_pinned(
            queryset, limit=pagination.COUNT_LIMIT
        )
    queryset = repositories_sorted(queryset, values["sort"]).only(*CARD_FIELDS)
    return BoundedPaginator(queryset, PAGE_SIZE, counted=counted)


def _download_query(request: HttpRequest, fmt: str) -> str:
    """The download's query string: the page's, without its page and sort."""
    params = request.GET.copy()
    for name in ("page", "sort", "format"):
        params.pop(name, None)
    params["format"] = fmt
    return params.urlencode()


def repository_search(request: HttpRequest) -> HttpResponse:
    values = RepositorySearchForm(request.GET).values()
    page = _paginated(values).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    owners = forge_selectors.repository_owners(
        repository.account_id for repository in page.object_list
    )
    filters_active = any(values[name] for name in RepositorySearchForm.FILTER_FIELDS) or any(
        values[name] for name in ("activity", "forks", "archived")
    )
    download = reverse("web:repository_download")
    return render(
        request,
        "inventory/repository_list.html",
        {
            "title": _("Public-sector source code"),
            "values": values,
            "choices": shared_value(
                request, "repository-filter-choices", repository_filter_choices
            ),
            "page_obj": page,
            "owners": owners,
            "filters_active": filters_active,
            "download_csv_url": f"{download}?{_download_query(request, 'csv')}",
            "download_json_url": f"{download}?{_download_query(request, 'json')}",
        },
    )


DOWNLOAD_FORMATS = ("csv", "json")


def repository_download(request: HttpRequest) -> HttpResponse:
    """Every repository the search selects, streamed as CSV or JSON with the open-data
    repositories dataset's columns (memory bounded, whatever the number of rows)."""
    fmt = request.GET.get("format", "csv")
    if fmt not in DOWNLOAD_FORMATS:
        return HttpResponse(
            _("Unknown format: choose csv or json."),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    values = RepositorySearchForm(request.GET).values()
    stream = repositories_download(_searched(values), fmt)
    response = StreamingHttpResponse(stream, content_type=CONTENT_TYPES[fmt])
    filename = f"depots-{timezone.now():%Y%m%d}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- Organisations and accounts ---------------------------------------------------------------


UNATTACHED_PAGE_SIZE = 50


def _unattached_accounts():
    return (
        forge_selectors.account_list()
        .filter(organisation__isnull=True)
        .order_by("forge__host", "login", "pk")
    )


def organisation_list(request: HttpRequest) -> HttpResponse:
    """Organisations by ministry with their counts, a page of them at a time (each
    organisation's page lists its accounts), and the accounts attached to none, a page of
    them at a time too: the page costs the same however many there are.

    The list is the same for every visitor: each page of it is made once per content change
    (``shared_value``), for the page numbers it really has (an unknown or out-of-range number
    is the page Django's paginator would show, so the kept pages are bounded)."""
    counts = shared_value(
        request,
        "organisation-list-counts",
        lambda: (
            forge_selectors.organisation_list_by_ministry().count(),
            _unattached_accounts().count(),
        ),
    )
    numbers = {
        name: Paginator(range(count), size).get_page(request.GET.get(name)).number
        for name, count, size in (
            ("page", counts[0], forge_selectors.ORGANISATIONS_PAGE_SIZE),
            ("unattached", counts[1], UNATTACHED_PAGE_SIZE),
        )
    }
    # The links of the kept part keep only these two parameters, as the visitor gave them.
    kept = {name: str(number) for name, number in numbers.items() if name in request.GET}
    key = "organisation-list:" + ":".join(f"{name}={kept.get(name, '')}" for name in numbers)

    def body() -> str:
        page, groups = forge_selectors.organisation_page_by_ministry(numbers["page"])
        unattached_page = Paginator(_unattached_accounts(), UNATTACHED_PAGE_SIZE).get_page(
            numbers["unattached"]
        )
        part_request = copy.copy(request)
        part_request.GET = QueryDict(mutable=True)
        part_request.GET.update(kept)
        return render_to_string(
            "inventory/includes/organisation_list_body.html",
            {"page_obj": page, "groups": groups, "unattached_page": unattached_page},
            request=part_request,
        )

    return render(
        request,
        "inventory/organisation_list.html",
        {
            "title": _("Organisations and their forge accounts"),
            "body": mark_safe(shared_value(request, key, body)),  # noqa: S308 - our template
        },
    )


def account_detail(request: HttpRequest, pk: int) -> HttpResponse:
    account = account_public_get(pk=pk)
    if account is None:
        raise Http404
    crawls = list(account.crawls.select_related("run").order_by("-started_at", "-pk")[:5])
    repositories = repositories_sorted(
        Repository.objects.filter(account=account, gone_at__isnull=True).only(*CARD_FIELDS),
        "reuse",
    )
    page = BoundedPaginator(repositories, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "inventory/account_detail.html",
        {
            "title": account.display_name,
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
        queryset=Organisation.objects.public().order_by("name"),
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
        "account": existing.display_name,
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
                % {"account": account.display_name},
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
