"""The statistics page: every chart's figures equal the database's, and each has its data table."""

from __future__ import annotations

import html
import json
import re
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext

from inventory.catalog.models import Category, ReferentDeclaration, SoftwareStatus, UserDeclaration
from inventory.forges.models import Repository
from inventory.web.views import stats
from tests.inventory.catalog import factories
from tests.inventory.web.test_inventory_pages import inventory_create, repository_create

pytestmark = pytest.mark.django_db


def table_rows(page: str, slug: str) -> list[list[str]]:
    """The cells of a chart's data table, links and markup removed."""
    table = page.split(f'id="chart-{slug}-table"', 1)[1].split("</table>", 1)[0]
    body = table.split("<tbody>", 1)[1]
    return [
        [
            html.unescape(re.sub(r"<[^>]+>", "", cell)).strip()
            for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row)
        ]
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)
    ]


def chart_data(page: str, slug: str) -> dict:
    script = re.search(
        rf'<script id="chart-{slug}-data" type="application/json">(.*?)</script>', page, re.S
    )
    return json.loads(script.group(1))


@pytest.fixture
def figures(db):
    inventory = inventory_create()
    # Enough languages to fold the smallest into "other languages".
    for index in range(stats.TOP + 3):
        for copy in range(index + 1):
            repository_create(
                inventory.etalab,
                f"lang-{index}-{copy}",
                language=f"Lang{index:02}",
                license_spdx="EUPL-1.2" if copy % 2 else "",
                created_at=timezone.now() - timedelta(days=365 * (copy % 4)),
            )
    office = Category.objects.create(name="Bureautique", slug="bureautique")
    web = Category.objects.create(name="Web", slug="web")
    Category.objects.create(name="Vide", slug="vide")
    for _index in range(3):
        factories.software_create(status=SoftwareStatus.RECOMMENDED).categories.add(office)
    factories.software_create().categories.add(office, web)
    factories.software_create(status=SoftwareStatus.PROPOSED).categories.add(web)
    software = factories.software_create()
    referents = [factories.referent_create(software=software) for _ in range(3)]
    users = [factories.user_create(software=software) for _ in range(2)]
    ReferentDeclaration.objects.filter(pk=referents[0].pk).update(
        created_at=timezone.make_aware(datetime(2023, 5, 10, 12))
    )
    UserDeclaration.objects.filter(pk=users[0].pk).update(
        created_at=timezone.make_aware(datetime(2024, 1, 31, 23, 30))
    )
    return inventory


@pytest.fixture
def page(client, figures) -> str:
    response = client.get("/statistiques/")
    assert response.status_code == 200
    return response.content.decode()


def not_detected() -> str:
    with translation.override("fr"):
        return gettext("Not detected")


def listed() -> list[Repository]:
    return list(Repository.objects.filter(gone_at__isnull=True))


def test_repositories_by_language_equal_the_database_with_the_rest_folded(page):
    counts = Counter(repository.language for repository in listed()).most_common()
    counts.sort(key=lambda item: (-item[1], item[0]))
    rows = table_rows(page, "languages")
    top = [[language or not_detected(), str(count)] for language, count in counts[: stats.TOP]]
    assert rows[: stats.TOP] == top
    assert rows[stats.TOP][1] == str(sum(count for _language, count in counts[stats.TOP :]))
    assert len(rows) == stats.TOP + 1
    data = chart_data(page, "languages")
    assert data["datasets"][0]["data"] == [int(row[1]) for row in rows]
    assert data["labels"][:3] == [row[0] for row in rows[:3]]


def test_repositories_by_license_equal_the_database(page):
    counts = Counter(repository.license_spdx for repository in listed())
    rows = table_rows(page, "licenses")
    assert {row[0]: int(row[1]) for row in rows} == {
        (license or not_detected()): count for license, count in counts.items()
    }


def test_language_and_license_rows_link_to_the_filtered_repository_list(page):
    license = next(row[0] for row in table_rows(page, "licenses") if row[0] != not_detected())
    language = next(row[0] for row in table_rows(page, "languages") if row[0] != not_detected())
    licenses = page.split('id="chart-licenses-table"', 1)[1].split("</table>", 1)[0]
    languages = page.split('id="chart-languages-table"', 1)[1].split("</table>", 1)[0]
    assert f'href="/code/?license={license}"' in licenses
    assert f'href="/code/?language={language}"' in languages


def test_top_organisations_equal_the_database(page, figures):
    rows = table_rows(page, "organisations")
    expected = Counter(
        repository.account.organisation.name
        for repository in listed()
        if repository.account.organisation
    )
    assert [(name, int(count)) for name, count in rows] == sorted(
        expected.items(), key=lambda item: (-item[1], item[0])
    )
    assert 'href="/code/?organisation=dinum"' in page


def test_repositories_created_per_year_equal_the_database(page):
    expected = Counter(
        timezone.localtime(repository.created_at).year
        for repository in listed()
        if repository.created_at
    )
    rows = table_rows(page, "years")
    assert [(int(year), int(count)) for year, count in rows] == sorted(expected.items())


def test_software_by_category_counts_listed_software_only(page):
    rows = table_rows(page, "categories")
    assert rows == [["Bureautique", "4"], ["Web", "1"]]  # the proposal and the empty one left out


def test_declarations_per_month_count_referents_and_users(page):
    rows = table_rows(page, "declarations")
    now = timezone.localtime()
    this_month = now.strftime("%Y-%m")
    assert rows == [["2023-05", "1", "0"], ["2024-01", "0", "1"], [this_month, "2", "1"]]
    data = chart_data(page, "declarations")
    assert [dataset["data"] for dataset in data["datasets"]] == [[1, 0, 2], [0, 1, 1]]


def test_every_chart_has_a_captioned_table_and_the_local_chart_library(page):
    for slug in ("languages", "licenses", "organisations", "years", "categories", "declarations"):
        table = page.split(f'id="chart-{slug}-table"', 1)[1].split("</table>", 1)[0]
        assert "<caption>" in table and '<th scope="col">' in table
        holder = re.search(rf'<div class="[^"]*" data-chart="chart-{slug}-data"[^>]*>', page)
        assert 'aria-hidden="true"' in holder.group(0) and "hidden" in holder.group(0)
    assert '<script src="/static/vendor/chartjs/chart.umd.min.js" defer></script>' in page
    assert "cdn" not in page.lower()


def test_empty_inventory_says_there_is_no_data_yet(client, db):
    response = client.get("/statistiques/")
    assert response.status_code == 200
    assert "data-chart=" not in response.content.decode()


def test_chart_library_and_its_license_are_served_locally(client, db):
    from django.contrib.staticfiles import finders

    library = finders.find("vendor/chartjs/chart.umd.min.js")
    license_text = finders.find("vendor/chartjs/LICENSE.md")
    assert library and "Chart.js v4" in Path(library).read_text(encoding="utf-8")[:200]
    assert license_text and "MIT License" in Path(license_text).read_text(encoding="utf-8")
