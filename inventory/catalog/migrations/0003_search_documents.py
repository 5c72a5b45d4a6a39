from dataclasses import asdict

import django.db.models.deletion
from django.db import migrations, models

from inventory.catalog.search.documents import SearchTexts, search_document_build

POSTGRES_INDEXES = """
ALTER TABLE catalog_softwaresearchdocument ADD COLUMN search_vector tsvector
    GENERATED ALWAYS AS (
        setweight(to_tsvector('simple'::regconfig, tokens_a), 'A')
        || setweight(to_tsvector('simple'::regconfig, tokens_b), 'B')
        || setweight(to_tsvector('simple'::regconfig, tokens_c), 'C')
        || setweight(to_tsvector('simple'::regconfig, tokens_d), 'D')
    ) STORED;
CREATE INDEX catalog_search_vector_gin ON catalog_softwaresearchdocument USING gin (search_vector);
CREATE INDEX catalog_search_name_trgm ON catalog_softwaresearchdocument USING gin (name gin_trgm_ops);
"""


def postgres_indexes(apps, schema_editor):
    """The tsvector (generated from the stored tokens) and its GIN index, and a trigram index
    on the folded name; SQLite has neither and reads the tokens instead. The table is new:
    building the indexes here blocks no writer of existing tables."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_INDEXES)


def drop_postgres_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "ALTER TABLE catalog_softwaresearchdocument DROP COLUMN search_vector"
        )
        schema_editor.execute("DROP INDEX IF EXISTS catalog_search_name_trgm")


def backfill(apps, schema_editor):
    """A document for every existing entry, in batches. The texts are gathered here from this
    migration's models, not by the application's gatherer, which may read later fields."""
    Software = apps.get_model("catalog", "Software")
    Document = apps.get_model("catalog", "SoftwareSearchDocument")
    entries = Software.objects.select_related("parent").prefetch_related("categories")
    batch = []
    for software in entries.order_by("pk").iterator(chunk_size=500):
        texts = SearchTexts(
            name=software.name,
            function=software.function,
            keywords=[str(keyword) for keyword in software.keywords or []],
            categories=[category.name for category in software.categories.all()],
            descriptions=[software.description, software.description_en],
            parent_name=software.parent.name if software.parent_id else software.parent_raw,
            proprietary_equivalents=software.proprietary_equivalents,
            details=[software.long_description, software.use_context, software.formats],
        )
        batch.append(
            Document(
                software_id=software.pk,
                source_updated_at=software.updated_at,
                **asdict(search_document_build(texts)),
            )
        )
        if len(batch) == 500:
            Document.objects.bulk_create(batch)
            batch = []
    Document.objects.bulk_create(batch)


class Migration(migrations.Migration):

    dependencies = [
        ('catalog', '0002_sill_round_trip_fields'),
        ('core', '0001_search_extensions'),
    ]

    operations = [
        migrations.CreateModel(
            name='SearchSynonym',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('terms', models.TextField(help_text='Separated by commas. Typing any of them also searches for the others: “visioconférence, visio, webconférence”.', verbose_name='equivalent expressions')),
                ('related', models.TextField(blank=True, help_text='Separated by commas. Searched too when one of the expressions above is typed, not the other way round: “suite bureautique” for “tableur”.', verbose_name='also searched')),
                ('updated_at', models.DateTimeField(auto_now=True)),
            ],
            options={
                'verbose_name': 'search synonym',
                'verbose_name_plural': 'search synonyms',
                'ordering': ['terms'],
            },
        ),
        migrations.CreateModel(
            name='SoftwareSearchDocument',
            fields=[
                ('software', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='search_document', serialize=False, to='catalog.software')),
                ('name', models.CharField(max_length=200, verbose_name='name, folded')),
                ('tokens_a', models.TextField(blank=True)),
                ('tokens_b', models.TextField(blank=True)),
                ('tokens_c', models.TextField(blank=True)),
                ('tokens_d', models.TextField(blank=True)),
                ('source_updated_at', models.DateTimeField(null=True)),
                ('updated_at', models.DateTimeField(auto_now=True, db_index=True)),
            ],
            options={
                'verbose_name': 'search document',
                'verbose_name_plural': 'search documents',
            },
        ),
        migrations.RunPython(postgres_indexes, drop_postgres_indexes),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
