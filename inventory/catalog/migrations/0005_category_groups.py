"""The fifty flat categories of the SILL become about forty in six groups: each entry keeps its
categories, under the name of the curated category they were merged into."""

from django.db import migrations, models

# The taxonomy as of this migration (plain data, no model): a later change needs a new migration.
from inventory.catalog.taxonomy import CANONICAL, TAXONOMY, category_slug


def taxonomy_apply(apps, schema_editor):
    Category = apps.get_model("catalog", "Category")
    Software = apps.get_model("catalog", "Software")
    Through = Software.categories.through
    curated = {}
    for group, name, _former in TAXONOMY:
        slug = category_slug(name)
        category = (
            Category.objects.filter(slug=slug).first()
            or Category.objects.filter(name=name).first()
            or Category(slug=slug)
        )
        category.name, category.slug, category.group = name, slug, int(group)
        category.save()
        curated[slug] = category
    kept = [category.pk for category in curated.values()]
    for category in Category.objects.exclude(pk__in=kept):
        target = CANONICAL.get(category.slug) or CANONICAL.get(category_slug(category.name))
        if target is None:
            continue  # a curator's own category stays, under "Other"
        into = curated[category_slug(target[0])]
        software_ids = set(
            Through.objects.filter(category_id=category.pk).values_list("software_id", flat=True)
        )
        already = set(
            Through.objects.filter(category_id=into.pk, software_id__in=software_ids).values_list(
                "software_id", flat=True
            )
        )
        Through.objects.bulk_create(
            [Through(software_id=pk, category_id=into.pk) for pk in sorted(software_ids - already)]
        )
        Through.objects.filter(category_id=category.pk).delete()
        category.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0004_seed_search_synonyms"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="category",
            options={
                "ordering": ["group", "name"],
                "verbose_name": "category",
                "verbose_name_plural": "categories",
            },
        ),
        migrations.AddField(
            model_name="category",
            name="group",
            field=models.PositiveSmallIntegerField(
                choices=[
                    (1, "Office work and communication"),
                    (2, "Business, data and content"),
                    (3, "Software development"),
                    (4, "Servers and databases"),
                    (5, "Infrastructure and operations"),
                    (6, "Security"),
                    (9, "Other"),
                ],
                default=9,
                verbose_name="group",
            ),
        ),
        # Not reversible: merged categories cannot be told apart again.
        migrations.RunPython(taxonomy_apply, migrations.RunPython.noop),
    ]
