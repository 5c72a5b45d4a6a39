"""The stored search documents: what they hold, and that every write keeps them current."""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from inventory.catalog.importers import sill_import_file
from inventory.catalog.models import Category, Software, SoftwareSearchDocument
from inventory.catalog.search.engine import software_search
from inventory.catalog.services import software_merge, software_propose, software_update
from inventory.catalog.services.search_documents import software_search_documents_refresh
from tests.inventory.catalog import factories

pytestmark = pytest.mark.django_db


def document(software: Software) -> SoftwareSearchDocument:
    return SoftwareSearchDocument.objects.get(software=software)


def tokens(software: Software, weight: str) -> set[str]:
    return set(getattr(document(software), f"tokens_{weight}").split())


def test_the_document_holds_each_text_at_its_weight():
    parent = factories.software_create(name="GLPI")
    category = Category.objects.create(name="Gestion de parc", slug="gestion-de-parc")
    plugin = factories.software_create(
        name="FusionInventory",
        function="Inventaire du parc",
        keywords=["télédéploiement"],
        description="Logiciel d'inventaire",
        description_en="Inventory agent",
        long_description="Découverte du **réseau**",
        parent=parent,
    )
    plugin.categories.add(category)
    software_search_documents_refresh(software_ids=[plugin.pk])
    assert document(plugin).name == "fusioninventory"
    assert {"fusioninventory", "fusion", "inventory"} <= tokens(plugin, "a")
    assert {"inventaire", "parc", "teledeploiement"} <= tokens(plugin, "b")
    assert {"gestion", "glpi", "inventory", "agent"} <= tokens(plugin, "c")
    assert {"reseau"} <= tokens(plugin, "d")
    assert "logiciel" not in tokens(plugin, "c")  # every entry is one: not a search word


def test_proposing_and_editing_an_entry_rebuild_its_document():
    agent = factories.agent_create()
    software = software_propose(
        agent=agent, name="Jitsi", function="Visioconférence", license="Apache-2.0"
    )
    assert "visioconference" in tokens(software, "b")
    software_update(actor=agent, software=software, function="Conférence en ligne")
    assert "visioconference" not in tokens(software, "b")
    assert {"conference", "ligne"} <= tokens(software, "b")


def test_renaming_a_parent_rebuilds_its_children_documents():
    curator = factories.curator_create()
    parent = factories.software_create(name="Firefox", added_by=curator)
    child = factories.software_create(name="uBlock Origin", parent=parent)
    software_search_documents_refresh(software_ids=[child.pk])
    software_update(actor=curator, software=parent, name="Mozilla Firefox ESR")
    assert "mozilla" in tokens(child, "c")


def test_a_merge_rebuilds_the_target_document():
    curator = factories.curator_create()
    target = factories.software_create(name="LibreOffice")
    source = factories.software_create(name="Libre Office", keywords=["tableur"])
    software_merge(curator=curator, source=source, target=target)
    assert "tableur" in tokens(target, "b")


def test_an_import_builds_the_documents_of_what_it_created(write_json):
    path = write_json(
        "sill.json",
        [
            {"id": "1", "i": "GLPI", "st": "R", "f": "Gestion de parc", "c": "Parc"},
            {"id": "2", "i": "Reports", "st": "O", "f": "Rapports", "p": "GLPI"},
        ],
    )
    sill_import_file(path)
    reports = Software.objects.get(sill_id=2)
    assert "glpi" in tokens(reports, "c")  # its parent, linked once the whole file is in
    assert "rapports" in tokens(reports, "b")


def test_a_category_renamed_in_the_admin_rebuilds_the_documents_of_its_entries(curator_client):
    category = Category.objects.create(name="Visiophonie", slug="visiophonie")
    software = factories.software_create(name="Jitsi")
    software.categories.add(category)
    software_search_documents_refresh(software_ids=[software.pk])
    response = curator_client.post(
        reverse("admin:catalog_category_change", args=[category.pk]),
        {"name": "Webconférence", "slug": "visiophonie", "description": "", "group": 1},
    )
    assert response.status_code == 302
    assert "webconference" in tokens(software, "c")


def test_categories_set_in_the_admin_change_form_are_in_the_document(curator_client):
    category, _ = Category.objects.get_or_create(
        slug="navigateur-web", defaults={"name": "Navigateur web"}
    )
    software = factories.software_create(name="Firefox", slug="firefox")
    data = {
        "name": "Firefox",
        "slug": "firefox",
        "status": software.status,
        "license": "MPL-2.0",
        "categories": [category.pk],
        "keywords": "[]",
        "workshop_urls": "[]",
        "catalog_years": "[]",
        "respects_rgaa": "unknown",
    }
    for prefix in ("referents", "users", "instances"):
        data |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
    response = curator_client.post(
        reverse("admin:catalog_software_change", args=[software.pk]), data
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert "navigateur" in tokens(software, "c")


def test_an_entry_saved_without_its_document_is_indexed_before_it_is_searched():
    software = Software.objects.create(
        name="Thunderbird", slug="thunderbird", function="Courrielleur"
    )
    assert not SoftwareSearchDocument.objects.filter(software=software).exists()
    assert software_search(queryset=Software.objects.all(), q="courrielleur") == [software.pk]
    Software.objects.filter(pk=software.pk).update(function="Client de messagerie")
    software.refresh_from_db()
    software.save()  # a direct save: the document is older than the entry
    assert software_search(queryset=Software.objects.all(), q="messagerie") == [software.pk]


def test_postgresql_keeps_a_generated_indexed_vector_and_sqlite_reads_the_tokens():
    software = factories.software_create(name="Nextcloud", function="Partage de fichiers")
    software_search_documents_refresh(software_ids=[software.pk])
    with connection.cursor() as cursor:
        columns = [
            c.name
            for c in connection.introspection.get_table_description(
                cursor, SoftwareSearchDocument._meta.db_table
            )
        ]
        if connection.vendor != "postgresql":
            assert "search_vector" not in columns
            return
        assert "search_vector" in columns
        cursor.execute(
            "SELECT search_vector @@ to_tsquery('simple', 'partag') FROM catalog_softwaresearchdocument WHERE software_id = %s",
            [software.pk],
        )
        assert cursor.fetchone() == (True,)
        indexes = connection.introspection.get_constraints(
            cursor, SoftwareSearchDocument._meta.db_table
        )
        assert {"catalog_search_vector_gin", "catalog_search_name_trgm"} <= set(indexes)


def test_the_reindex_command_rebuilds_every_document():
    category = Category.objects.create(name="Tableur", slug="tableur")
    software = factories.software_create(name="Gnumeric")
    software.categories.add(category)
    software_search_documents_refresh()
    Category.objects.filter(pk=category.pk).update(name="Feuille de calcul")  # behind our back
    output = io.StringIO()
    call_command("search_reindex", stdout=output)
    assert output.getvalue() == "1 search documents rebuilt.\n"
    assert "feuille" in tokens(software, "c")
