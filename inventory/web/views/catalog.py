"""Catalog pages anyone can read: home, search, software, organisation, and an agent's own space."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from inventory.catalog import selectors
from inventory.catalog.models import Software, SoftwareStatus
from inventory.catalog.services.instances import instances_editable
from inventory.web.forms import CommentForm
from inventory.web.menus import MenuOptions
from inventory.web.shared import shared_value

PAGE_SIZE = 20


def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "home.html",
        {
            # The same for every visitor: read once per content change (see web/shared.py).
            "figures": shared_value(request, "catalog-figures", selectors.catalog_figures),
            "most_declared": shared_value(
                request,
                "software-most-declared",
                lambda: selectors.software_most_declared_list(limit=6),
            ),
            "recent": shared_value(
                request, "software-recent", lambda: selectors.software_recent_list(limit=6)
            ),
        },
    )


def _software_menus() -> dict:
    """The search form's menus, the same for every visitor: the choices, and the long menus'
    <option> markup made once (categories by group, organisations, licenses)."""
    choices = selectors.software_filter_choices()
    groups: dict[str, list] = {}
    for category in choices.categories:
        groups.setdefault(category.get_group_display(), []).append((category.slug, category.name))
    return {
        "choices": choices,
        "category_menus": [(label, MenuOptions(options)) for label, options in groups.items()],
        "organisation_menu": MenuOptions(
            (organisation.slug, organisation.name) for organisation in choices.organisations
        ),
        "license_menu": MenuOptions((license, license) for license in choices.licenses),
    }


def software_list(request: HttpRequest) -> HttpResponse:
    filters = selectors.SoftwareFilters.from_query(request.GET)
    search_error = ""
    if not filters.q_is_searchable:
        search_error = _("Type at least one letter or digit to search.")
        software = Software.objects.none()
    else:
        # Proposals are listed (?status=proposed) only to their authors and curators.
        software = selectors.software_list(filters=filters).filter(
            selectors.software_visible_q(request.user)
        )
    page = Paginator(software, PAGE_SIZE).get_page(request.GET.get("page"))
    suggestions = []
    if filters.q and not search_error and not page.paginator.count:
        suggestions = selectors.software_search_suggestions(filters=filters)
    return render(
        request,
        "catalog/software_list.html",
        {
            "title": _("Software catalog"),
            "filters": filters,
            **shared_value(request, "software-filter-menus", _software_menus),
            "statuses": SoftwareStatus.choices,
            "page_obj": page,
            "search_error": search_error,
            "suggestions": suggestions,
        },
        status=400 if search_error else 200,
    )


def software_detail(request: HttpRequest, slug: str) -> HttpResponse:
    software = selectors.software_get(slug=slug, viewer=request.user)
    if software is None:
        raise Http404
    detail = selectors.software_detail(software=software, viewer=request.user)
    # The edit link only where the service would accept the edit (membership approved, not said).
    editable_instances = instances_editable(actor=request.user, instances=detail.instances)
    return render(
        request,
        "catalog/software_detail.html",
        {
            "title": software.name,
            "detail": detail,
            "software": software,
            "editable_instances": editable_instances,
            "comment_form": CommentForm() if request.user.is_authenticated else None,
        },
    )


def organisation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = selectors.organisation_get(slug=slug, viewer=request.user)
    if organisation is None:
        raise Http404
    return render(
        request,
        "organisations/organisation_detail.html",
        {
            "title": organisation.name,
            "page": selectors.organisation_page(organisation=organisation),
        },
    )


@login_required
def my_space(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "catalog/my_space.html",
        {"title": _("My space"), "space": selectors.agent_contributions(agent=request.user)},
    )
