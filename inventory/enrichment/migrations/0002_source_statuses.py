"""One status row per source, so the admin lists every source from the start."""

from django.db import migrations

SOURCES = ("wikidata", "comptoir", "cnll", "hal", "forge")


def statuses_create(apps, schema_editor):
    SourceStatus = apps.get_model("enrichment", "SourceStatus")
    for source in SOURCES:
        SourceStatus.objects.get_or_create(source=source)


class Migration(migrations.Migration):
    dependencies = [("enrichment", "0001_initial")]

    operations = [migrations.RunPython(statuses_create, migrations.RunPython.noop)]
