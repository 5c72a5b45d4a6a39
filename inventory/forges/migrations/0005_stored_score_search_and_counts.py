"""Columns the pages read instead of computing per request. Adding a column with a constant
default changes no row on PostgreSQL 11+ (no rewrite, a brief lock): 0006 fills them in
batches, 0007 indexes them concurrently."""

import django.contrib.postgres.search
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('forges', '0004_crawl_leases'),
    ]

    operations = [
        migrations.CreateModel(
            name='RepositoryCount',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('dimension', models.CharField(choices=[('listed', 'listed repositories'), ('language', 'language'), ('license', 'license'), ('forge', 'forge'), ('year', 'creation year')], max_length=10)),
                ('value', models.CharField(blank=True, max_length=255)),
                ('count', models.PositiveIntegerField()),
                ('refreshed_at', models.DateTimeField()),
            ],
            options={
                'verbose_name': 'repository count',
                'verbose_name_plural': 'repository counts',
                'ordering': ['dimension', '-count', 'value'],
            },
        ),
        migrations.AddConstraint(
            model_name='repositorycount',
            constraint=models.UniqueConstraint(fields=('dimension', 'value'), name='repository_count_unique'),
        ),
        migrations.AddField(
            model_name='account',
            name='repositories_count',
            field=models.PositiveIntegerField(default=0, verbose_name='repositories'),
        ),
        migrations.AddField(
            model_name='repository',
            name='reuse_score',
            field=models.IntegerField(default=0, verbose_name='reuse score'),
        ),
        migrations.AddField(
            model_name='repository',
            name='search_document',
            field=models.TextField(blank=True, default=''),
        ),
        migrations.AddField(
            model_name='repository',
            name='search_vector',
            field=django.contrib.postgres.search.SearchVectorField(blank=True, null=True),
        ),
    ]
