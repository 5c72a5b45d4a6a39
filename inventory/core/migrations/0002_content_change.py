from django.db import migrations, models
from django.utils import timezone


def first_change(apps, schema_editor):
    """The row content_changed() updates: its later writes are then a single UPDATE."""
    apps.get_model("core", "ContentChange").objects.get_or_create(
        pk=1, defaults={"changed_at": timezone.now()}
    )


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0001_search_extensions'),
    ]

    operations = [
        migrations.CreateModel(
            name='ContentChange',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('changed_at', models.DateTimeField()),
            ],
        ),
        migrations.RunPython(first_change, migrations.RunPython.noop),
    ]
