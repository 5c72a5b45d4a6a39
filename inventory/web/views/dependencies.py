"""Dependency pages: the most used packages, a package's dependents, a repository's dependencies.

They read through ``inventory.dependencies.selectors``, as the API does, so a page and the API
link it offers select the same rows.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from inventory.core.exceptions import ApplicationError
from inventory.dependencies import selectors
from inventory.dependencies.models import Ecosystem, Scope
from inventory.forges import selectors as forge_selectors
from inventory.forges.models import Repository
from inventory.web.views.inventory import repository_filter_choices

PAGE_SIZE = 50


class PackageSearchForm(forms.Form):
    """The query string of /code/dependances/; a value that does not validate is ignored."""

    ecosystem = forms.ChoiceField(required=False, choices=[("", ""), *Ecosystem.choices])
    q = forms.CharField(required=False, max_length=200)

    def values(self) -> dict[str, str]:
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        return {name: (cleaned.get(name) or "").strip() for name in self.fields}


class DependentSearchForm(forms.Form):
    version = forms.CharField(required=False, max_length=200)
    organisation = forms.SlugField(required=False, max_length=120)
    ministry = forms.SlugField(required=False, max_length=120)
    scope = forms.ChoiceField(required=False, choices=[("", ""), *Scope.choices])

    def values(self) -> dict[str, str]:
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        return {name: (cleaned.get(name) or "").strip() for name in self.fields}


def package_list(request: HttpRequest) -> HttpResponse:
    values = PackageSearchForm(request.GET).values()
    page = Paginator(selectors.package_list(filters=values), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = urlencode({key: value for key, value in values.items() if value})
    return render(
        request,
        "inventory/package_list.html",
        {
            "title": _("What public code depends on"),
            "values": values,
            "ecosystems": selectors.ecosystem_figures(),
            "page_obj": page,
            "api_url": f"{reverse('api:package-list')}?{query}".rstrip("?"),
        },
    )


def package_detail(request: HttpRequest, ecosystem: str, name: str) -> HttpResponse:
    package = selectors.package_get(ecosystem=ecosystem, name=name)
    if package is None:
        raise Http404
    values = DependentSearchForm(request.GET).values()
    error = ""
    try:
        dependents = selectors.package_dependents(package=package, filters=values)
        page = Paginator(dependents, PAGE_SIZE).get_page(request.GET.get("page"))
    except ApplicationError as exc:
        error, page = exc.message, None
    api = reverse(
        "api:package-dependents", kwargs={"ecosystem": package.ecosystem, "name": package.name}
    )
    query = urlencode({key: value for key, value in values.items() if value})
    return render(
        request,
        "inventory/package_detail.html",
        {
            "title": package.name,
            "package": package,
            "ecosystem_label": Ecosystem(package.ecosystem).label,
            "values": values,
            "error": error,
            "choices": repository_filter_choices(),
            "page_obj": page,
            "api_url": f"{api}?{query}".rstrip("?"),
        },
    )


def repository_dependencies(request: HttpRequest, pk: int) -> HttpResponse:
    repository = (
        Repository.objects.filter(pk=pk, account__state__in=forge_selectors.PUBLIC_ACCOUNT_STATES)
        .select_related("forge", "account", "account__organisation")
        .first()
    )
    if repository is None:
        raise Http404
    return render(
        request,
        "inventory/repository_dependencies.html",
        {
            "title": _("Dependencies of %(repository)s") % {"repository": repository.full_name},
            "repository": repository,
            "dependencies": list(selectors.repository_dependencies(repository=repository)),
            "manifests": list(selectors.repository_manifests(repository=repository)),
            "api_url": reverse("api:repository-dependencies-dependencies", args=[repository.pk]),
        },
    )
