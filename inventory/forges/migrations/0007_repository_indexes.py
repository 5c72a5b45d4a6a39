"""Indexes for every sort and search, built CONCURRENTLY on PostgreSQL (writes go on during
the build; hence a non-atomic migration): sort keys of the pages and of the API's cursors, and
PostgreSQL-only GIN indexes over the search document's words and the names' trigrams."""

from django.db import migrations, models

from inventory.core.migration_operations import (
    AddIndexOnline,
    PostgresIndexOnline,
    RemoveIndexOnline,
)

# A GIN index queues new entries in a pending list (4 MB by default) that every search reads
# through: crawls writing all day would keep a search's cost at tens of milliseconds. 256 kB.
GIN_STORAGE = "gin_pending_list_limit = 256"


class Migration(migrations.Migration):

    atomic = False

    dependencies = [
        ('core', '0001_search_extensions'),
        ('forges', '0006_backfill_score_search_and_counts'),
    ]

    operations = [
        AddIndexOnline(
            model_name='repository',
            index=models.Index(models.OrderBy(models.F('reuse_score'), descending=True), models.OrderBy(models.F('stars'), descending=True), models.F('full_name'), models.F('id'), condition=models.Q(('gone_at__isnull', True)), name='repository_sort_reuse'),
        ),
        AddIndexOnline(
            model_name='repository',
            index=models.Index(models.OrderBy(models.F('stars'), descending=True), models.F('full_name'), models.F('id'), condition=models.Q(('gone_at__isnull', True)), name='repository_sort_stars'),
        ),
        AddIndexOnline(
            model_name='repository',
            index=models.Index(models.F('account'), models.OrderBy(models.F('reuse_score'), descending=True), models.OrderBy(models.F('stars'), descending=True), models.F('full_name'), models.F('id'), condition=models.Q(('gone_at__isnull', True)), name='repository_account_reuse'),
        ),
        AddIndexOnline(
            model_name='repository',
            index=models.Index(fields=['stars', 'id'], name='repository_api_stars'),
        ),
        AddIndexOnline(
            model_name='repository',
            index=models.Index(fields=['forks', 'id'], name='repository_api_forks'),
        ),
        AddIndexOnline(
            model_name='repository',
            index=models.Index(fields=['first_seen_at', 'id'], name='repository_api_first_seen'),
        ),
        # Replaced by repository_api_stars and repository_sort_activity.
        RemoveIndexOnline(model_name='repository', name='forges_repo_stars_d943ac_idx'),
        RemoveIndexOnline(model_name='repository', name='forges_repo_pushed__3912e1_idx'),
        PostgresIndexOnline(
            name='repository_sort_activity',
            table='forges_repository',
            definition='(pushed_at DESC NULLS LAST, full_name, id) WHERE gone_at IS NULL',
        ),
        PostgresIndexOnline(
            name='repository_search_vector_gin',
            table='forges_repository',
            definition=f'USING gin (search_vector) WITH ({GIN_STORAGE})',
        ),
        PostgresIndexOnline(
            name='repository_full_name_trgm',
            table='forges_repository',
            definition=f'USING gin (UPPER(full_name::text) gin_trgm_ops) WITH ({GIN_STORAGE})',
        ),
    ]
