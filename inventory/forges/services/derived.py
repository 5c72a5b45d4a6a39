"""Columns derived from a repository's own values (the awesome-score and the search document),
refreshed in bulk: after a change of their rule, and to backfill them (migration 0006).

The crawl's upsert writes them with each row; this recomputes them for rows already stored,
a batch of ids per transaction, so a run over millions of rows never holds long locks.
"""

from __future__ import annotations

import json

from django.db import connection, transaction

from inventory.forges.models import Repository
from inventory.forges.scoring import SEARCH_VECTOR_SQL, awesome_score_sql, search_document

BATCH = 5000


def derived_columns_refresh_range(cursor, *, table: str, start: int, end: int) -> None:
    """Recompute the derived columns of the rows with ids in [start, end), in one transaction.

    Plain SQL on the table (the migration runs it against its own model state)."""
    cursor.execute(
        f"SELECT id, owner, name, description, topics FROM {table} "  # noqa: S608
        "WHERE id >= %s AND id < %s",
        [start, end],
    )
    documents = []
    for pk, owner, name, description, topics in cursor.fetchall():
        if isinstance(topics, str):  # the JSON's text, as Django has drivers hand it back
            topics = json.loads(topics)
        text = search_document(owner=owner, name=name, description=description, topics=topics or [])
        documents.append((text, pk))
    with transaction.atomic():
        if documents and cursor.db.vendor == "postgresql":
            # One statement for the batch (SQLite's VALUES cannot name its columns).
            values = ", ".join(["(%s, %s)"] * len(documents))
            cursor.execute(
                f"UPDATE {table} SET search_document = v.document "  # noqa: S608
                f"FROM (VALUES {values}) AS v(document, id) WHERE {table}.id = v.id",
                [value for pair in documents for value in pair],
            )
        elif documents:
            cursor.executemany(
                f"UPDATE {table} SET search_document = %s WHERE id = %s",  # noqa: S608
                documents,
            )
        cursor.execute(
            f"UPDATE {table} SET reuse_score = {awesome_score_sql()}"  # noqa: S608
            + (f", search_vector = {SEARCH_VECTOR_SQL}" if cursor.db.vendor == "postgresql" else "")
            + " WHERE id >= %s AND id < %s",
            [start, end],
        )


def derived_columns_refresh(cursor, *, table: str, batch: int | None = None) -> None:
    """Recompute the derived columns of every row of the table, BATCH ids at a time."""
    batch = batch or BATCH
    cursor.execute(f"SELECT MIN(id), MAX(id) FROM {table}")  # noqa: S608
    low, high = cursor.fetchone()
    if low is None:
        return
    for start in range(low, high + 1, batch):
        derived_columns_refresh_range(cursor, table=table, start=start, end=start + batch)


def repositories_derived_refresh() -> None:
    """Recompute every repository's reuse score and search document from its stored values."""
    with connection.cursor() as cursor:
        derived_columns_refresh(cursor, table=connection.ops.quote_name(Repository._meta.db_table))
