from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations


class Migration(migrations.Migration):
    """Accent-insensitive full-text search on PostgreSQL (no-op on SQLite)."""

    dependencies: list = []
    operations = [UnaccentExtension(), TrigramExtension()]
