"""Writes of dependency data: a crawl's manifests and dependencies replace a repository's own."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction

from crawlers.records import RepositoryRecord
from inventory.dependencies.models import Dependency, Manifest, Package
from inventory.dependencies.versions import effective_version, version_key
from inventory.forges.models import Account, Repository

BATCH_SIZE = 1000
# remote_id__in and name__in lists stay well under the databases' bound-parameter limits.
LOOKUP_CHUNK = 900


def _chunks(items: list, size: int = LOOKUP_CHUNK) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _fit(value: str, model: type, field: str) -> str:
    max_length = model._meta.get_field(field).max_length
    value = (value or "").replace("\x00", "")
    return value[:max_length] if max_length else value


@transaction.atomic
def dependencies_replace(
    *, account: Account, records: Iterable[RepositoryRecord], read_at: dt.datetime
) -> int:
    """Store the manifests and dependencies that the crawl read, in place of those stored.

    Only repositories whose details were fetched with manifests change (the others keep what an
    earlier crawl found): a new or changed repository, read again. Runs in bulk, whatever the
    number of repositories. Returns how many dependencies were stored.
    """
    read = {
        record.forge_id: record.details
        for record in records
        if record.details is not None and record.details.manifests is not None
    }
    if not read:
        return 0
    repository_ids: dict[str, int] = {}
    for chunk in _chunks(list(read)):
        repository_ids.update(
            Repository.objects.filter(forge_id=account.forge_id, remote_id__in=chunk).values_list(
                "remote_id", "pk"
            )
        )
    for chunk in _chunks(list(repository_ids.values())):
        Dependency.objects.filter(repository_id__in=chunk).delete()
        Manifest.objects.filter(repository_id__in=chunk).delete()

    wanted = {
        (dependency.ecosystem, _fit(dependency.name, Package, "name"))
        for remote_id, details in read.items()
        if remote_id in repository_ids
        for dependency in details.dependencies
    }
    package_ids = _package_ids(wanted)
    dependencies, manifests = [], []
    for remote_id, details in read.items():
        repository_id = repository_ids.get(remote_id)
        if repository_id is None:
            continue
        for manifest in details.manifests:
            manifests.append(
                Manifest(
                    repository_id=repository_id,
                    path=_fit(manifest.path, Manifest, "path"),
                    ecosystem=manifest.ecosystem,
                    kind=manifest.kind,
                    status=manifest.status,
                    error=_fit(manifest.error, Manifest, "error"),
                    dependencies_count=manifest.dependencies,
                    package_name=_fit(manifest.package_name, Manifest, "package_name"),
                    package_version=_fit(manifest.package_version, Manifest, "package_version"),
                    read_at=read_at,
                )
            )
        for dependency in details.dependencies:
            requirement = _fit(dependency.requirement, Dependency, "requirement")
            resolved = _fit(dependency.resolved_version, Dependency, "resolved_version")
            dependencies.append(
                Dependency(
                    repository_id=repository_id,
                    package_id=package_ids[
                        (dependency.ecosystem, _fit(dependency.name, Package, "name"))
                    ],
                    requirement=requirement,
                    resolved_version=resolved,
                    version_key=version_key(effective_version(requirement, resolved)),
                    scope=dependency.scope,
                    direct=dependency.direct,
                    manifest=_fit(dependency.manifest, Dependency, "manifest"),
                )
            )
    Manifest.objects.bulk_create(manifests, batch_size=BATCH_SIZE, ignore_conflicts=True)
    Dependency.objects.bulk_create(dependencies, batch_size=BATCH_SIZE, ignore_conflicts=True)
    return len(dependencies)


def _package_ids(wanted: set[tuple[str, str]]) -> dict[tuple[str, str], int]:
    """Ids of the packages, created when new (bulk, whatever another crawl adds meanwhile)."""
    Package.objects.bulk_create(
        [Package(ecosystem=ecosystem, name=name) for ecosystem, name in wanted],
        batch_size=BATCH_SIZE,
        ignore_conflicts=True,
    )
    by_ecosystem: dict[str, list[str]] = {}
    for ecosystem, name in wanted:
        by_ecosystem.setdefault(ecosystem, []).append(name)
    ids: dict[tuple[str, str], int] = {}
    for ecosystem, names in by_ecosystem.items():
        for chunk in _chunks(names):
            for pk, name in Package.objects.filter(ecosystem=ecosystem, name__in=chunk).values_list(
                "pk", "name"
            ):
                ids[(ecosystem, name)] = pk
    return ids
