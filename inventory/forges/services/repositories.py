"""Writes of crawled repositories: idempotent bulk upserts keyed on (forge, remote_id), and vanishing."""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection, transaction

from crawlers.records import RepositoryRecord
from inventory.forges.models import Account, AccountState, Repository
from inventory.forges.scoring import (
    SCORE_FIELDS,
    SEARCH_VECTOR_SQL,
    awesome_score,
    awesome_score_sql,
    search_document,
)

BATCH_SIZE = 1000
# PostgreSQL stages the rows here, in the upsert's own transaction, before one INSERT … SELECT.
STAGING_TABLE = "forges_repository_upsert"
# remote_id__in lists stay well under SQLite's and PostgreSQL's bound-parameter limits.
LOOKUP_CHUNK = 900

# Always refreshed from the forge's listing. first_seen_at is deliberately absent: it is kept.
LISTING_FIELDS = (
    "account",
    "owner",
    "name",
    "full_name",
    "html_url",
    "clone_url",
    "description",
    "default_branch",
    "topics",
    "stars",
    "forks",
    "open_issues",
    "subscribers",
    "is_fork",
    "is_archived",
    "is_template",
    "homepage",
    "created_at",
    "updated_at",
    "pushed_at",
    "change_key",
    "last_seen_at",
    "gone_at",
    "search_document",
    "search_vector",
)
# Only overwritten by a listing that carries them: GitLab's project list has neither, so an
# unchanged GitLab project keeps what its last details fetch found.
LICENSE_FIELDS = ("license_spdx", "license_name")
LANGUAGE_FIELDS = ("language",)
# Only overwritten by a record that carries details (new or changed since the last crawl).
DETAIL_FIELDS = (
    "has_readme",
    "has_license_file",
    "has_contributing",
    "has_changelog",
    "has_publiccode",
    "publiccode_text",
    "publiccode",
    "publiccode_error",
    "details_fetched_at",
    "languages",
    *LICENSE_FIELDS,
    *LANGUAGE_FIELDS,
)


@dataclass(frozen=True, slots=True)
class UpsertCounts:
    """What an upsert did to an account's repositories."""

    seen: int = 0
    new: int = 0
    updated: int = 0  # stored before with another change_key, or moved here from another account
    revived: int = 0  # stored before as gone, listed again


def _without_nul(value: Any) -> Any:
    """PostgreSQL rejects NUL characters in text and JSON; forges occasionally serve them."""
    if isinstance(value, str):
        return value.replace("\x00", "") if "\x00" in value else value
    if isinstance(value, dict):
        return {_without_nul(key): _without_nul(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_without_nul(item) for item in value]
    return value


_MAX_LENGTHS = {
    field.name: field.max_length
    for field in Repository._meta.concrete_fields
    if getattr(field, "max_length", None)
}


# Every stored column but the id, in the order rows are staged and inserted.
_COLUMNS = tuple(field for field in Repository._meta.concrete_fields if not field.primary_key)
_ATTNAMES = tuple(field.attname for field in _COLUMNS)
_JSON_INDEXES = tuple(
    index for index, field in enumerate(_COLUMNS) if field.get_internal_type() == "JSONField"
)
# What a row that never had its details fetched holds in their columns: the model's defaults.
_NO_DETAILS = {
    name: Repository._meta.get_field(name).get_default()
    for name in DETAIL_FIELDS
    if name not in LICENSE_FIELDS + LANGUAGE_FIELDS
}


def _fit(field_name: str, value: str) -> str:
    value = _without_nul(value or "")
    max_length = _MAX_LENGTHS.get(field_name)
    return value[:max_length] if max_length and len(value) > max_length else value


def _count(value: int | None) -> int | None:
    return None if value is None else max(0, value)


def _repository_values(
    record: RepositoryRecord, *, account: Account, seen_at: dt.datetime
) -> dict[str, Any]:
    """Every column's value (by attname, the id aside) for the record's row.

    Plain values rather than a model instance: PostgreSQL COPYs them as they are, and
    building 100k instances costs more than the COPY itself; SQLite makes instances of them.
    """
    details = record.details
    values = {
        "forge_id": account.forge_id,
        "remote_id": _fit("remote_id", record.forge_id),
        "account_id": account.pk,
        "owner": _fit("owner", record.owner),
        "name": _fit("name", record.name),
        "full_name": _fit("full_name", record.full_name),
        "html_url": _fit("html_url", record.html_url),
        "clone_url": _fit("clone_url", record.clone_url),
        "description": _fit("description", record.description),
        "default_branch": _fit("default_branch", record.default_branch),
        "language": _fit("language", (details and details.language) or record.language),
        "license_spdx": _fit(
            "license_spdx", (details and details.license_spdx) or record.license_spdx
        ),
        "license_name": _fit(
            "license_name", (details and details.license_name) or record.license_name
        ),
        "topics": [_without_nul(topic) for topic in record.topics],
        "stars": _count(record.stars) or 0,
        "forks": _count(record.forks) or 0,
        "open_issues": _count(record.open_issues),
        "subscribers": _count(record.subscribers),
        "is_fork": record.is_fork,
        "is_archived": record.is_archived,
        "is_template": record.is_template,
        "homepage": _fit("homepage", record.homepage),
        "created_at": record.created_at,
        "updated_at": record.updated_at,
        "pushed_at": record.pushed_at,
        "change_key": _fit("change_key", record.change_key),
        "first_seen_at": seen_at,
        "last_seen_at": seen_at,
        "gone_at": None,
    }
    if details is None:
        return values | _NO_DETAILS
    files = details.root_files
    return values | {
        "has_readme": files.readme,
        "has_license_file": files.license,
        "has_contributing": files.contributing,
        "has_changelog": files.changelog,
        "has_publiccode": files.publiccode,
        "publiccode_text": _without_nul(details.publiccode_text),
        "publiccode": _without_nul(details.publiccode),
        "publiccode_error": _without_nul(details.publiccode_error),
        "languages": _without_nul(details.languages),
        "details_fetched_at": seen_at,
    }


def _with_derived(values: dict[str, Any]) -> dict[str, Any]:
    """The row's values plus what is derived from them to be searched and sorted by index.

    The score is the row's when the record carries everything the score reads; otherwise
    the upsert scores the row in the database, from the stored details the update keeps.
    """
    values["search_document"] = search_document(
        owner=values["owner"],
        name=values["name"],
        description=values["description"],
        topics=values["topics"],
    )
    values["reuse_score"] = awesome_score(values)
    values["search_vector"] = None  # PostgreSQL's words of the document: made by the INSERT
    return values


def _copy_row(values: dict[str, Any]) -> list[Any]:
    """The row's values in ``_COLUMNS`` order, as COPY takes them.

    JSON goes as its text, and None as NULL, as the JSONField would store it.
    """
    row = [values[attname] for attname in _ATTNAMES]
    for index in _JSON_INDEXES:
        if row[index] is not None:
            row[index] = json.dumps(row[index])
    return row


def _scores_all(update_fields: tuple[str, ...]) -> bool:
    """Whether rows updated with these fields carry every value the score reads."""
    return set(SCORE_FIELDS) <= set(update_fields)


def _update_fields(record: RepositoryRecord) -> tuple[str, ...]:
    if record.details is not None:
        return LISTING_FIELDS + DETAIL_FIELDS
    fields = LISTING_FIELDS
    if record.license_spdx or record.license_name:
        fields += LICENSE_FIELDS
    if record.language:
        fields += LANGUAGE_FIELDS
    return fields


def _owns_more_closely(login: str, *, than: str, owner: str) -> bool:
    """Whether account ``login`` is nearer to the repository's ``owner`` path than ``than``."""
    login, than, owner = login.lower(), than.lower(), owner.lower()
    if not login or len(login) <= len(than):
        return False
    return owner == login or owner.startswith(login + "/")


def _chunks(items: list, size: int) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def repositories_upsert(
    *, account: Account, records: Iterable[RepositoryRecord], seen_at: dt.datetime
) -> UpsertCounts:
    """Insert or update the repositories an account's crawl listed, keyed on (forge, remote_id).

    Idempotent. A renamed or transferred repository keeps its row (same remote id) and gets
    its new name, owner, URLs and, when it moved between two of our accounts, its account.
    A record without details leaves the stored details alone. Rows come from our own
    crawlers, already normalised: they are fitted to the columns instead of validated one by
    one, so that one odd repository cannot fail a whole account.
    """
    by_remote_id = {record.forge_id: record for record in records}
    if not by_remote_id:
        return UpsertCounts()

    # One query tells what is new, changed or back; rows are compared in memory.
    stored = {
        remote_id: (change_key, gone_at is not None)
        for remote_id, change_key, gone_at in Repository.objects.filter(
            account=account
        ).values_list("remote_id", "change_key", "gone_at")
    }
    elsewhere: dict[str, tuple[bool, str]] = {}
    unknown = [remote_id for remote_id in by_remote_id if remote_id not in stored]
    for chunk in _chunks(unknown, LOOKUP_CHUNK):
        # Only repositories not yet ours: transfers from another of our accounts on this forge.
        for remote_id, gone_at, login, state in Repository.objects.filter(
            forge_id=account.forge_id, remote_id__in=chunk
        ).values_list("remote_id", "gone_at", "account__login", "account__state"):
            closer = login if state == AccountState.ACTIVE else ""
            elsewhere[remote_id] = (gone_at is not None, closer)

    new = updated = revived = seen = 0
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
    for remote_id, record in by_remote_id.items():
        if remote_id in stored:
            change_key, was_gone = stored[remote_id]
            updated += change_key != record.change_key
            revived += was_gone
        elif remote_id in elsewhere:
            was_gone, other_login = elsewhere[remote_id]
            if _owns_more_closely(other_login, than=account.login, owner=record.owner):
                # A GitLab group lists its subgroups' projects: when a subgroup is an account
                # of ours too, the project stays with it instead of moving at every crawl.
                continue
            updated += 1
            revived += was_gone
        else:
            new += 1
        seen += 1
        groups[_update_fields(record)].append(
            _with_derived(_repository_values(record, account=account, seen_at=seen_at))
        )

    with transaction.atomic():
        if settings.IS_POSTGRES:
            _upsert_through_copy(groups)
        else:
            for update_fields, rows in groups.items():
                scored = ("reuse_score",) if _scores_all(update_fields) else ()
                Repository.objects.bulk_create(
                    [Repository(**values) for values in rows],
                    batch_size=BATCH_SIZE,
                    update_conflicts=True,
                    unique_fields=["forge", "remote_id"],
                    update_fields=list(update_fields + scored),
                )
                if not scored:
                    _rescore(account.forge_id, [values["remote_id"] for values in rows])
    return UpsertCounts(seen=seen, new=new, updated=updated, revived=revived)


def _upsert_through_copy(groups: dict[tuple[str, ...], list[dict[str, Any]]]) -> None:
    """Upsert on PostgreSQL: COPY every row into a temporary table, then one INSERT … SELECT …
    ON CONFLICT per set of update fields (the rows carry their group's number).

    COPY skips the per-value parameter handling of bulk_create's batches. Must run inside a
    transaction: the table is dropped at the end, and on commit if an error left it there.
    """
    # Statements are built from the model's own table and column names, never from input.
    quote = connection.ops.quote_name
    table, staging = quote(Repository._meta.db_table), quote(STAGING_TABLE)
    columns = ", ".join(quote(field.column) for field in _COLUMNS)
    selected = ", ".join(
        SEARCH_VECTOR_SQL if field.attname == "search_vector" else quote(field.column)
        for field in _COLUMNS
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMPORARY TABLE {staging} ON COMMIT DROP AS "  # noqa: S608
            f"SELECT {columns}, 0::smallint AS update_group FROM {table} WITH NO DATA"
        )
        with cursor.copy(f"COPY {staging} ({columns}, update_group) FROM STDIN") as copy:
            for group, rows in enumerate(groups.values()):
                for values in rows:
                    copy.write_row([*_copy_row(values), group])
        for group, update_fields in enumerate(groups):
            assignments = ", ".join(
                [
                    *(
                        f"{column} = EXCLUDED.{column}"
                        for column in (
                            quote(Repository._meta.get_field(name).column)
                            for name in update_fields
                        )
                    ),
                    f"reuse_score = {_score_on_conflict(update_fields, table)}",
                ]
            )
            cursor.execute(
                f"INSERT INTO {table} ({columns}) SELECT {selected} FROM {staging} "  # noqa: S608
                f"WHERE update_group = %s "
                f'ON CONFLICT ("forge_id", "remote_id") DO UPDATE SET {assignments}',
                [group],
            )
        # Dropped now, not only on commit: a caller's outer transaction may upsert again.
        cursor.execute(f"DROP TABLE {staging}")


def _score_on_conflict(update_fields: tuple[str, ...], table: str) -> str:
    """The score of an updated row: the record's when it carries every value the score reads,
    else computed from the new values and the stored ones the update keeps."""
    if _scores_all(update_fields):
        return "EXCLUDED.reuse_score"
    quote = connection.ops.quote_name
    return awesome_score_sql(
        lambda name: f"EXCLUDED.{quote(name)}" if name in update_fields else f"{table}.{quote(name)}"
    )


def _rescore(forge_id: int, remote_ids: list[str]) -> None:
    """Score rows again from what they hold (SQLite, after an update that kept some details)."""
    table = connection.ops.quote_name(Repository._meta.db_table)
    with connection.cursor() as cursor:
        for chunk in _chunks(remote_ids, LOOKUP_CHUNK):
            placeholders = ", ".join(["%s"] * len(chunk))
            cursor.execute(
                f"UPDATE {table} SET reuse_score = {awesome_score_sql()} "  # noqa: S608
                f"WHERE forge_id = %s AND remote_id IN ({placeholders})",
                [forge_id, *chunk],
            )


@transaction.atomic
def repositories_mark_gone(
    *, account: Account, seen_remote_ids: Iterable[str], at: dt.datetime
) -> int:
    """Set gone_at on the account's repositories the crawl did not list; never deletes a row.

    Returns how many repositories vanished now (those already gone keep their date).
    """
    seen = set(seen_remote_ids)
    vanished = [
        pk
        for pk, remote_id in Repository.objects.filter(
            account=account, gone_at__isnull=True
        ).values_list("pk", "remote_id")
        if remote_id not in seen
    ]
    for chunk in _chunks(vanished, LOOKUP_CHUNK):
        Repository.objects.filter(pk__in=chunk).update(gone_at=at)
    return len(vanished)
