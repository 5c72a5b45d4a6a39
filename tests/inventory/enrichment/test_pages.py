"""The pages that show enrichment: the entry's panel, its logo, the providers page."""

import hashlib

import pytest

from crawlers.sources.records import Provider, SourceRecord, Version
from inventory.enrichment.models import SoftwareLogo
from tests.conftest import english
from tests.inventory.catalog import factories

pytestmark = pytest.mark.django_db


def test_detail_page_shows_source_facts_with_provenance(client, store):
    software = factories.software_create(name="GIMP", description="")
    store(
        software,
        SourceRecord(
            source="wikidata",
            external_id="Q8038",
            url="https://www.wikidata.org/wiki/Q8038",
            description="logiciel de retouche d'images <script>",
            latest_version=Version("3.0.4"),
            developers=("The GIMP Development Team",),
            documentation="https://docs.gimp.org/",
        ),
    )
    store(
        software,
        SourceRecord(
            source="cnll",
            external_id="12",
            providers=(Provider("Arawa", website="https://www.arawa.fr/", siren="444495519"),),
        ),
    )

    html = client.get(f"/logiciels/{software.slug}/").content.decode()

    assert "logiciel de retouche d&#x27;images &lt;script&gt;" in html
    assert "source :" in html
    assert 'href="https://www.wikidata.org/wiki/Q8038"' in html
    assert "3.0.4" in html and "The GIMP Development Team" in html
    assert 'href="https://docs.gimp.org/"' in html
    assert "Prestataires" in html and "Arawa" in html and "444495519" in html
    assert '<span class="enrichment-logo enrichment-logo--placeholder' in html


def test_detail_page_without_enrichment_has_no_source_section(client):
    software = factories.software_create(name="Outil")

    html = english(client).get(f"/logiciels/{software.slug}/").content.decode()

    assert "What the sources say" not in html
    assert "Service providers" not in html


def test_providers_page_lists_each_provider_with_its_software(client, store):
    software = factories.software_create(name="LibreOffice")
    store(
        software,
        SourceRecord(
            source="comptoir",
            external_id="19",
            providers=(
                Provider(
                    "Arawa", siren="444495519", url="https://comptoir-du-libre.org/fr/users/7"
                ),
            ),
        ),
    )

    html = client.get("/prestataires/").content.decode()

    assert "Arawa" in html
    assert f'href="/logiciels/{software.slug}/"' in html
    assert 'href="https://comptoir-du-libre.org/fr/users/7"' in html


def logo_store(software, content: bytes, content_type: str) -> SoftwareLogo:
    from django.utils import timezone

    return SoftwareLogo.objects.create(
        software=software,
        source_url="https://upload.wikimedia.org/logo.svg",
        content_type=content_type,
        content=content,
        digest=hashlib.sha256(content).hexdigest(),
        fetched_at=timezone.now(),
    )


def test_logo_is_served_from_our_origin_sandboxed_and_cached(client):
    software = factories.software_create(name="GIMP")
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    logo_store(software, svg, "image/svg+xml")

    response = client.get(f"/logos/{software.pk}/")

    assert response.status_code == 200
    assert response.content == svg
    assert response["Content-Type"] == "image/svg+xml"
    assert "sandbox" in response["Content-Security-Policy"]
    assert "default-src 'none'" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    again = client.get(f"/logos/{software.pk}/", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
    html = client.get(f"/logiciels/{software.slug}/").content.decode()
    assert f'src="/logos/{software.pk}/"' in html
    cards = client.get("/logiciels/").content.decode()
    assert f'src="/logos/{software.pk}/"' in cards


def test_unknown_logo_is_404(client):
    assert client.get("/logos/999999/").status_code == 404


def test_proposal_search_needs_a_signed_in_agent(client):
    assert client.get("/logiciels/proposer/sources/?format=json&q=gimp").status_code == 403
    page = client.get("/logiciels/proposer/sources/?q=gimp")
    assert page.status_code == 302 and "/agents/" in page["Location"]


def test_api_detail_gives_enrichment_with_provenance(client, store):
    software = factories.software_create(name="GIMP", description="", license="GPL-3.0-or-later")
    store(
        software,
        SourceRecord(
            source="wikidata",
            external_id="Q8038",
            url="https://www.wikidata.org/wiki/Q8038",
            description="logiciel de retouche d'images",
            similar=("Q1058451",),
        ),
    )
    store(
        software,
        SourceRecord(
            source="cnll", external_id="1", providers=(Provider("Arawa", siren="444495519"),)
        ),
    )

    data = client.get(f"/api/v1/software/{software.slug}/").json()

    facts = data["enrichment"]["facts"]
    assert facts["description"] == {
        "value": "logiciel de retouche d'images",
        "source": "wikidata",
        "url": "https://www.wikidata.org/wiki/Q8038",
        "license_problem": "",
    }
    assert facts["licenses"]["source"] == "curator"
    assert data["enrichment"]["providers"][0]["siren"] == "444495519"
    assert data["enrichment"]["similar"] == [
        {"label": "Q1058451", "source": "wikidata", "id": "Q1058451"}
    ]


def test_current_sill_format_carries_the_enrichment_with_its_source(store):
    from inventory.catalog.sill_formats import sill_export_current

    software = factories.software_create(name="GIMP", sill_id=12, status="recommended")
    store(
        software,
        SourceRecord(
            source="wikidata",
            external_id="Q8038",
            label="GIMP",
            developers=("The GIMP Development Team",),
            latest_version=Version("3.0.4"),
        ),
    )
    store(
        software,
        SourceRecord(
            source="comptoir",
            external_id="63",
            url="https://comptoir-du-libre.org/fr/softwares/63",
            providers=(
                Provider(
                    "Arawa", siren="444495519", url="https://comptoir-du-libre.org/fr/users/7"
                ),
            ),
        ),
    )
    store(
        software,
        SourceRecord(
            source="cnll", external_id="12", providers=(Provider("ARAWA", siren="444495519"),)
        ),
    )
    factories.software_create(name="Sans enrichissement", sill_id=13, status="recommended")

    gimp, other = sill_export_current()

    assert gimp["softwareExternalData"]["externalId"] == "Q8038"
    assert gimp["softwareExternalData"]["externalDataOrigin"] == "wikidata"
    assert gimp["softwareExternalData"]["developers"] == [{"name": "The GIMP Development Team"}]
    assert gimp["latestVersion"] == {
        "semVer": "3.0.4",
        "publicationTime": None,
        "source": "wikidata",
    }
    assert gimp["serviceProviders"] == [
        {
            "name": "ARAWA",
            "siren": "444495519",
            "website": None,
            "cdlUrl": "https://comptoir-du-libre.org/fr/users/7",
            "cnllUrl": None,
        }
    ]
    assert gimp["comptoirDuLibreSoftware"]["id"] == 63
    assert gimp["annuaireCnllServiceProviders"] == [
        {"name": "ARAWA", "siren": "444495519", "url": ""}
    ]
    assert "softwareExternalData" not in other and other["latestVersion"] is None
