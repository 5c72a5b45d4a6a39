"""Downloads of a selection of the open data (a search's results), streamed with the same
columns and encoding as the published files."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from django.db.models import QuerySet

from inventory.forges.models import Repository
from inventory.opendata.formats.datasets import DATASETS, repository_rows
from inventory.opendata.formats.writers import dataset_stream

_REPOSITORIES = next(dataset for dataset in DATASETS if dataset.name == "repositories")


def repositories_download(queryset: QuerySet[Repository], fmt: str) -> Iterator[bytes]:
    """The repositories of a selector's queryset as the ``repositories`` dataset in ``fmt``
    (csv or json), by id."""
    dataset = replace(_REPOSITORIES, rows=lambda: repository_rows(queryset), csv_copy=None)
    return dataset_stream(dataset, fmt)
