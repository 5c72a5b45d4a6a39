"""The statistics page: charts of the code inventory and the catalog, each with its data table.

Every chart is one query: the code inventory's read the counts stored after each crawl run
(``inventory.forges.services.counts``), the catalog's (a few thousand rows) aggregate. The page renders each as an HTML table (the alternative for
screen readers and browsers without JavaScript) and as JSON that static/inventory/charts.js hands
to Chart.js, served locally.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from inventory.catalog.models import Category, ReferentDeclaration, Software, UserDeclaration
from inventory.catalog.selectors import LISTED_STATUSES
from inventory.forges import selectors as forge_selectors
from inventory.forges.models import Account, RepositoryCountDimension
from inventory.organisations.naming import organisations_named_q
from inventory.web.shared import shared_value

TOP = 20


@dataclass
class Chart:
    """One chart and its table: a row per label, a value per series."""

    slug: str
    title: str
    kind: str  # Chart.js type: bar, line
    label_header: str
    series: list[str]
    rows: list[tuple[str, list[int]]] = field(default_factory=list)
    links: dict[str, str] = field(default_factory=dict)
    note: str = ""
    horizontal: bool = False

    @property
    def script_id(self) -> str:
        return f"chart-{self.slug}-data"

    @property
    def table(self) -> list[tuple[str, str, list[int]]]:
        return [(label, self.links.get(label, ""), values) for label, values in self.rows]

    @property
    def data(self) -> dict:
        return {
            "type": self.kind,
            "indexAxis": "y" if self.horizontal else "x",
            "labels": [label for label, _values in self.rows],
            "datasets": [
                {"label": name, "data": [values[index] for _label, values in self.rows]}
                for index, name in enumerate(self.series)
            ],
        }


def _top_with_other(counts: list[tuple[str, int]], other_label: str) -> list[tuple[str, list[int]]]:
    """The TOP largest groups, then the rest summed up in one row."""
    rows = [(label, [count]) for label, count in counts[:TOP]]
    rest = sum(count for _label, count in counts[TOP:])
    if rest:
        rows.append((other_label, [rest]))
    return rows


def repositories_by_organisation() -> list[tuple[str, str, int]]:
    """(name, slug, repositories) of the TOP organisations with the most repositories, summed
    from their accounts' stored counts."""
    counts = (
        Account.objects.filter(organisation__isnull=False)
        .filter(organisations_named_q("organisation__"))
        .values("organisation__name", "organisation__slug")
        .annotate(count=Sum("repositories_count"))
        .filter(count__gt=0)
        .order_by("-count", "organisation__name")[:TOP]
    )
    return [(row["organisation__name"], row["organisation__slug"], row["count"]) for row in counts]


def repositories_by_creation_year() -> list[tuple[int, int]]:
    counts = forge_selectors.repository_counts(RepositoryCountDimension.YEAR)
    return sorted((int(year), count) for year, count in counts)


def software_by_category() -> list[tuple[str, str, int]]:
    """(category, slug, listed software) for every category with some, largest first."""
    counts = (
        Category.objects.annotate(
            count=Count("software", filter=Q(software__status__in=LISTED_STATUSES))
        )
        .filter(count__gt=0)
        .order_by("-count", "name")
    )
    return [(category.name, category.slug, category.count) for category in counts]


def _declarations_by_month(model) -> dict[str, int]:
    counts = (
        model.objects.order_by()
        .annotate(month=TruncMonth("created_at"))
        .values("month")
        .annotate(count=Count("pk"))
    )
    return {row["month"].strftime("%Y-%m"): row["count"] for row in counts}


def declarations_by_month() -> list[tuple[str, int, int]]:
    """(YYYY-MM, referent declarations, user declarations) for each month with some."""
    referents = _declarations_by_month(ReferentDeclaration)
    users = _declarations_by_month(UserDeclaration)
    return [
        (month, referents.get(month, 0), users.get(month, 0))
        for month in sorted(referents.keys() | users.keys())
    ]


def _link(base: str, **params: str) -> str:
    return f"{base}?{urlencode(params)}"


def _repositories_by_field_chart(
    dimension: str, parameter: str, *, slug: str, title: str, label_header: str, other_label: str
) -> Chart:
    """A bar per value of a stored count's ``dimension`` (the top ones, then the rest), each
    linked to /code/ filtered by that value as ``parameter``."""
    counts = forge_selectors.repository_counts(dimension)
    code_url = reverse("web:repository_list")
    return Chart(
        slug=slug,
        horizontal=True,
        title=title,
        kind="bar",
        label_header=label_header,
        series=[_("Repositories")],
        rows=_top_with_other(
            [(value or _("Not detected"), count) for value, count in counts], other_label
        ),
        links={
            value: _link(code_url, **{parameter: value}) for value, _count in counts[:TOP] if value
        },
    )


def statistics_charts() -> list[Chart]:
    code_url = reverse("web:repository_list")
    software_url = reverse("web:software_list")
    repositories = _("Repositories")
    organisations = repositories_by_organisation()
    categories = software_by_category()
    return [
        _repositories_by_field_chart(
            RepositoryCountDimension.LANGUAGE,
            "language",
            slug="languages",
            title=_("Repositories by main language"),
            label_header=_("Language"),
            other_label=_("Other languages"),
        ),
        _repositories_by_field_chart(
            RepositoryCountDimension.LICENSE,
            "license",
            slug="licenses",
            title=_("Repositories by license"),
            label_header=_("License (SPDX)"),
            other_label=_("Other licenses"),
        ),
        Chart(
            slug="organisations",
            horizontal=True,
            title=_("The %(count)s organisations with the most repositories") % {"count": TOP},
            kind="bar",
            label_header=_("Organisation"),
            series=[repositories],
            rows=[(name, [count]) for name, _slug, count in organisations],
            links={
                name: _link(code_url, organisation=slug) for name, slug, _count in organisations
            },
        ),
        Chart(
            slug="years",
            title=_("Repositories created per year"),
            kind="bar",
            label_header=_("Year"),
            series=[repositories],
            rows=[(str(year), [count]) for year, count in repositories_by_creation_year()],
        ),
        Chart(
            slug="categories",
            horizontal=True,
            title=_("Catalog software by category"),
            kind="bar",
            label_header=_("Category"),
            series=[_("Software")],
            rows=[(name, [count]) for name, _slug, count in categories],
            links={name: _link(software_url, category=slug) for name, slug, _count in categories},
        ),
        Chart(
            slug="declarations",
            title=_("Declarations per month"),
            kind="bar",
            label_header=_("Month"),
            series=[_("Referent declarations"), _("User declarations")],
            rows=[
                (month, [referents, users]) for month, referents, users in declarations_by_month()
            ],
            note=_("Declarations still standing, by the month they were made."),
        ),
    ]


def statistics_figures() -> dict[str, int]:
    return {
        "repositories": forge_selectors.repositories_listed_count(),
        "software": Software.objects.filter(status__in=LISTED_STATUSES).count(),
    }


def statistics(request: HttpRequest) -> HttpResponse:
    """The same for every visitor: computed once per content change (``shared_value``)."""
    return render(
        request,
        "stats/statistics.html",
        {
            "title": _("Statistics"),
            "charts": shared_value(request, "statistics-charts", statistics_charts),
            "figures": shared_value(request, "statistics-figures", statistics_figures),
        },
    )
