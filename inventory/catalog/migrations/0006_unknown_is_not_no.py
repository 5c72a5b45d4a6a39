"""Unknown is not "no": the two facts the SILL's 2022 and 2020 files give only as "yes" become
unknown where they said nothing; only today's format (``sill-current``) says "no" outright."""

from django.db import migrations, models

FIELDS = ("is_from_french_public_service", "is_in_support_contract")


def false_to_unknown(apps, schema_editor):
    Software = apps.get_model("catalog", "Software")
    said_no = Software.objects.filter(source_records__has_key="sill-current")
    for field in FIELDS:
        Software.objects.filter(**{field: False}).exclude(pk__in=said_no).update(**{field: None})


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0005_category_groups"),
    ]

    operations = [
        migrations.AlterField(
            model_name="historicalsoftware",
            name="is_from_french_public_service",
            field=models.BooleanField(
                blank=True, null=True, verbose_name="developed by the French public sector"
            ),
        ),
        migrations.AlterField(
            model_name="historicalsoftware",
            name="is_in_support_contract",
            field=models.BooleanField(
                blank=True, null=True, verbose_name="covered by the support contract"
            ),
        ),
        migrations.AlterField(
            model_name="software",
            name="is_from_french_public_service",
            field=models.BooleanField(
                blank=True, null=True, verbose_name="developed by the French public sector"
            ),
        ),
        migrations.AlterField(
            model_name="software",
            name="is_in_support_contract",
            field=models.BooleanField(
                blank=True, null=True, verbose_name="covered by the support contract"
            ),
        ),
        migrations.RunPython(false_to_unknown, migrations.RunPython.noop),
    ]
