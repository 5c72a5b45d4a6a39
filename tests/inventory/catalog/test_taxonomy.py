"""The curated taxonomy: the data migration keeps every entry's categories under the merged
names, the importer files the SILL's names there too, and the filter shows them by group."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils.text import slugify

from inventory.catalog.importers import sill_import_file
from inventory.catalog.models import Category, Software
from inventory.catalog.taxonomy import CANONICAL, TAXONOMY, CategoryGroup
from tests.inventory.catalog import factories

BEFORE = [("catalog", "0004_seed_search_synonyms")]
AFTER = [("catalog", "0005_category_groups")]
SILL = "sill.json"


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def _sill_categories(sill_dir) -> dict[str, set[str]]:
    """Each real entry's SILL id → its flat categories as the SILL lists them."""
    records = json.loads((sill_dir / SILL).read_text(encoding="utf-8"))
    return {
        record["id"]: {name.strip() for name in (record.get("c") or "").split(";") if name.strip()}
        for record in records
    }


def test_the_taxonomy_has_about_forty_categories_in_six_groups_and_takes_in_all_fifty(sill_dir):
    assert 35 <= len(TAXONOMY) <= 40
    assert {group for group, _name, _former in TAXONOMY} == set(CategoryGroup) - {
        CategoryGroup.OTHER
    }
    flat = set().union(*_sill_categories(sill_dir).values())
    assert len(flat) == 50
    assert all(slugify(name) in CANONICAL for name in flat)


@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_every_entry_s_categories_under_their_merged_names(sill_dir):
    flat = _sill_categories(sill_dir)
    apps = _migrate(BEFORE)
    OldCategory = apps.get_model("catalog", "Category")
    OldSoftware = apps.get_model("catalog", "Software")
    OldCategory.objects.all().delete()  # the curated ones, from migrating the test database
    by_name = {
        name: OldCategory.objects.create(name=name, slug=slugify(name)[:120])
        for name in sorted(set().union(*flat.values()))
    }
    OldCategory.objects.create(name="Catégorie d'un curateur", slug="categorie-dun-curateur")
    for sill_id, names in flat.items():
        software = OldSoftware.objects.create(
            name=f"Logiciel {sill_id}", slug=f"logiciel-{sill_id}", sill_id=int(sill_id)
        )
        software.categories.set([by_name[name].pk for name in names])
    try:
        _migrate(AFTER)
        for sill_id, names in flat.items():
            expected = {CANONICAL[slugify(name)][0] for name in names}
            got = set(
                Software.objects.get(sill_id=int(sill_id)).categories.values_list("name", flat=True)
            )
            assert got == expected, sill_id
        assert Category.objects.filter(group=CategoryGroup.OTHER).get().name == (
            "Catégorie d'un curateur"
        )
        assert Category.objects.count() == len(TAXONOMY) + 1
        merged = Category.objects.get(name="Qualité et sécurité du code source")
        assert merged.group == CategoryGroup.DEVELOPMENT
    finally:
        Software.objects.all().delete()
        Category.objects.all().delete()
        _migrate([("catalog", leaf) for _app, leaf in _latest("catalog")])


def _latest(app: str):
    executor = MigrationExecutor(connection)
    return [key for key in executor.loader.graph.leaf_nodes() if key[0] == app]


@pytest.mark.django_db
def test_importing_the_sill_files_entries_under_the_curated_categories_only(sill_dir):
    report = sill_import_file(sill_dir / SILL)
    assert report.rejects == []
    curated = {name for _group, name, _former in TAXONOMY}
    names = set(Category.objects.values_list("name", flat=True))
    assert names <= curated
    assert not Category.objects.filter(group=CategoryGroup.OTHER).exists()
    for sill_id, flat in _sill_categories(sill_dir).items():
        expected = {CANONICAL[slugify(name)][0] for name in flat}
        software = Software.objects.get(sill_id=int(sill_id))
        assert set(software.categories.values_list("name", flat=True)) == expected, sill_id
    again = sill_import_file(sill_dir / SILL)
    assert again.updated == 0 and Category.objects.count() == len(names)


@pytest.mark.django_db
def test_the_category_filter_shows_the_categories_by_group(client):
    # The migration creates the curated categories (a flushed database has none).
    office, _ = Category.objects.get_or_create(
        slug="outil-collaboratif", defaults={"name": "Outil collaboratif", "group": 1}
    )
    security, _ = Category.objects.get_or_create(
        slug="chiffrement", defaults={"name": "Chiffrement", "group": 6}
    )
    for category, name in ((office, "Nextcloud"), (security, "VeraCrypt")):
        factories.software_create(name=name).categories.add(category)
    html = client.get("/logiciels/").content.decode()
    office_group = html.index('<optgroup label="Bureautique et communication">')
    security_group = html.index('<optgroup label="Sécurité">')
    assert office_group < html.index('value="outil-collaboratif"') < security_group
    assert security_group < html.index('value="chiffrement"')
