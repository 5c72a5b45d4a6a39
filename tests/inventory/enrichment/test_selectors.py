"""The merged facts of an entry: curator > source > nothing, each with its provenance."""

import datetime

import pytest

from crawlers.sources.records import Provider, PublicUser, SourceRecord, Version
from inventory.catalog.models import Software
from inventory.enrichment.models import Match
from inventory.enrichment.selectors import providers_list, software_enrichment
from tests.inventory.catalog import factories

pytestmark = pytest.mark.django_db

WIKIDATA_GIMP = SourceRecord(
    source="wikidata",
    external_id="Q8038",
    url="https://www.wikidata.org/wiki/Q8038",
    label="GIMP",
    description="logiciel de retouche d'images",
    language="fr",
    website="https://www.gimp.org/",
    repository="https://gitlab.gnome.org/GNOME/gimp",
    licenses=("GPL-3.0-or-later",),
    latest_version=Version("2.10.38", datetime.date(2024, 5, 2)),
    developers=("The GIMP Development Team",),
)


def test_source_fills_what_the_curator_left_empty_with_its_provenance(store):
    software = factories.software_create(name="GIMP", license="GPL-3.0-or-later")
    store(software, WIKIDATA_GIMP)

    facts = software_enrichment(software=software).facts

    assert facts["description"].value == "logiciel de retouche d'images"
    assert facts["description"].source == "wikidata"
    assert facts["description"].source_label == "Wikidata"
    assert facts["description"].url == "https://www.wikidata.org/wiki/Q8038"
    assert facts["latest_version"].value == {"number": "2.10.38", "published": "2024-05-02"}
    assert facts["developers"].value == ["The GIMP Development Team"]
    assert facts["website"].value == "https://www.gimp.org/"


def test_curator_value_wins_and_is_never_overwritten(store):
    software = factories.software_create(
        name="GIMP",
        description="Retouche photo (texte du curateur)",
        homepage_url="https://gimp.example.org/",
    )
    store(software, WIKIDATA_GIMP)

    facts = software_enrichment(software=software).facts

    assert facts["description"].value == "Retouche photo (texte du curateur)"
    assert facts["description"].source == "curator"
    assert facts["website"].value == "https://gimp.example.org/"
    software.refresh_from_db()
    assert software.description == "Retouche photo (texte du curateur)"
    assert software.homepage_url == "https://gimp.example.org/"


def test_forge_release_wins_over_wikidata_for_the_latest_version(store):
    software = factories.software_create(name="GIMP")
    store(software, WIKIDATA_GIMP)
    store(
        software,
        SourceRecord(
            source="forge",
            external_id="https://gitlab.gnome.org/GNOME/gimp",
            latest_version=Version("3.0.4", datetime.date(2025, 6, 21)),
        ),
    )

    fact = software_enrichment(software=software).facts["latest_version"]

    assert (fact.value["number"], fact.source) == ("3.0.4", "forge")


def test_unconfirmed_name_match_is_not_shown(store):
    software = factories.software_create(name="GIMP")
    store(software, WIKIDATA_GIMP, match=Match.UNCERTAIN, confirmed=False)

    assert software_enrichment(software=software).facts.get("description") is None


def test_non_free_source_license_is_flagged_not_applied(store):
    software = factories.software_create(name="Outil", license="")
    store(
        software,
        SourceRecord(source="wikidata", external_id="Q1", licenses=("proprietary license",)),
    )

    fact = software_enrichment(software=software).facts["licenses"]

    assert fact.value == ["proprietary license"]
    assert fact.license_problem
    software.refresh_from_db()
    assert software.license == ""


def test_source_license_differing_from_the_catalog_is_flagged(store):
    software = factories.software_create(name="Outil", license="MIT")
    record = store(
        software, SourceRecord(source="wikidata", external_id="Q1", licenses=("GPL-3.0-only",))
    )

    assert "MIT" in record.license_problem
    assert software_enrichment(software=software).facts["licenses"].source == "curator"


def test_providers_of_comptoir_and_cnll_are_one_per_siren(store):
    software = factories.software_create(name="LibreOffice")
    store(
        software,
        SourceRecord(
            source="comptoir",
            external_id="19",
            url="https://comptoir-du-libre.org/fr/softwares/19",
            providers=(
                Provider(
                    "Arawa",
                    website="https://www.arawa.fr/",
                    siren="444 495 519",
                    url="https://comptoir-du-libre.org/fr/users/1",
                ),
            ),
            users=(PublicUser("Ville de Paris"),),
        ),
    )
    store(
        software,
        SourceRecord(
            source="cnll",
            external_id="82",
            providers=(
                Provider(
                    "ARAWA SAS",
                    siren="444495519",
                    url="https://annuaire.cnll.fr/societes/444495519",
                ),
                Provider("Autre prestataire", siren="123456789"),
            ),
        ),
    )

    enrichment = software_enrichment(software=software)

    assert [(p.name, p.siren) for p in enrichment.providers] == [
        ("ARAWA SAS", "444495519"),
        ("Autre prestataire", "123456789"),
    ]
    assert [link[0] for link in enrichment.providers[0].links] == ["cnll", "comptoir"]
    assert enrichment.facts["users"].value == [{"name": "Ville de Paris", "url": ""}]
    [listed, _other] = providers_list()
    assert [s.name for s in listed["software"]] == ["LibreOffice"]


def test_similar_software_not_in_the_catalog_is_offered_for_proposal(store):
    factories.software_create(name="Inkscape")
    software = factories.software_create(name="GIMP")
    store(
        software,
        SourceRecord(source="wikidata", external_id="Q8038", similar=("Inkscape", "Q1058451")),
    )

    similar = software_enrichment(software=software).similar

    assert similar == [{"label": "Q1058451", "source": "wikidata", "id": "Q1058451"}]
    assert Software.objects.count() == 2
