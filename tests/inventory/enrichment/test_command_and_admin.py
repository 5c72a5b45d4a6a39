"""``manage.py enrich``, the beat task per source, and the curators' admin."""

from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from crawlers.sources.records import SourceRecord
from inventory.enrichment.models import EnrichmentRecord, Match, SourceStatus
from inventory.enrichment.tasks import source_refresh_task
from tests.inventory.catalog import factories

pytestmark = pytest.mark.django_db


def enrich(*args: str) -> str:
    out = StringIO()
    call_command("enrich", *args, stdout=out)
    return out.getvalue()


def test_command_refreshes_the_given_source_and_entry_and_prints_a_summary(fake_sources):
    software = factories.software_create(name="LibreOffice", comptoir_du_libre_id=33)
    factories.software_create(name="7-Zip", comptoir_du_libre_id=72)

    output = enrich("--source", "comptoir", "--software", software.slug)

    assert "comptoir: 1 records, 1 updated, 0 unknown to the source, 1 requests." in output
    assert EnrichmentRecord.objects.filter(status="fetched").count() == 1


def test_command_exits_non_zero_when_a_source_fails(fake_sources):
    factories.software_create(name="LibreOffice", comptoir_du_libre_id=33)
    fake_sources.fault("comptoir", "throttle", seconds=3600)

    with pytest.raises(CommandError, match="1 source"):
        enrich("--source", "comptoir")

    assert "429" in SourceStatus.objects.get(source="comptoir").last_error


def test_command_refuses_an_unknown_entry(db):
    with pytest.raises(CommandError, match="nope"):
        enrich("--software", "nope")


def test_beat_refreshes_releases_daily_and_the_other_sources_weekly():
    schedule = {
        entry["args"][0]: entry["schedule"]
        for name, entry in settings.CELERY_BEAT_SCHEDULE.items()
        if name.startswith("enrich-")
    }
    assert set(schedule) == {"forge", "wikidata", "comptoir", "cnll", "hal"}
    assert len(schedule["forge"].day_of_week) == 7
    assert all(len(schedule[s].day_of_week) == 1 for s in ("wikidata", "comptoir", "cnll", "hal"))


def test_task_refreshes_one_source(fake_sources):
    factories.software_create(name="LibreOffice", sill_id=117)

    assert source_refresh_task.delay("cnll").get() == {"source": "cnll", "ok": True}
    assert SourceStatus.objects.get(source="cnll").last_success_at is not None


def test_admin_lists_every_source_status(curator_client):
    html = curator_client.get("/admin/enrichment/sourcestatus/").content.decode()

    for label in ("Wikidata", "Comptoir du Libre", "CNLL directory", "HAL", "forge releases"):
        assert label in html


def test_admin_confirms_an_uncertain_match(curator_client, store):
    software = factories.software_create(name="GIMP")
    record = store(
        software,
        SourceRecord(source="wikidata", external_id="Q8038", label="GIMP"),
        match=Match.UNCERTAIN,
        confirmed=False,
    )
    listing = curator_client.get("/admin/enrichment/enrichmentrecord/?to_confirm=yes")
    assert "GIMP" in listing.content.decode()

    curator_client.post(
        "/admin/enrichment/enrichmentrecord/",
        {"action": "confirm_matches", "_selected_action": [record.pk]},
    )

    record.refresh_from_db()
    software.refresh_from_db()
    assert record.confirmed and software.external_id == "Q8038"
