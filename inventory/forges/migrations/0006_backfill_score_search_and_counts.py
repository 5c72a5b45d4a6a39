"""Fill the new columns of existing rows, a batch of ids per transaction: each batch locks its
own rows for a moment, never the table, and crawls go on meanwhile (a row they write gets its
values from the upsert itself)."""

from django.db import migrations, transaction

from inventory.forges.services.derived import derived_columns_refresh


def backfill(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        derived_columns_refresh(cursor, table=connection.ops.quote_name("forges_repository"))
        with transaction.atomic(using=connection.alias):
            cursor.execute(
                "UPDATE forges_account SET repositories_count = (SELECT COUNT(*) FROM "
                "forges_repository r WHERE r.account_id = forges_account.id AND r.gone_at IS NULL)"
            )


class Migration(migrations.Migration):

    atomic = False

    dependencies = [
        ('forges', '0005_stored_score_search_and_counts'),
    ]

    operations = [
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
