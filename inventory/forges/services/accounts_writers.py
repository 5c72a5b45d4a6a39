"""Importing accounts registry files: a file's plan stored as Forge, Account and Organisation rows.

A forge listed without owners is crawled whole (one Account of kind "instance", empty login); a
forge with owners gets one Account per owner. One file is one transaction: its valid entries are
stored together, its invalid entries are reported with their location and skipped, and a file that
cannot be read at all changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from inventory.core.content import content_changed
from inventory.forges.models import Account, AccountState, Forge
from inventory.forges.services.accounts_plans import Plan, covered_reason, plan_read
from inventory.forges.services.accounts_readers import (
    Fields,
    Problem,
    login_check,
    source_read,
)
from inventory.forges.services.forges import (
    CRAWLABLE_KINDS,
    NOT_CRAWLABLE_NOTE,
    default_account_kind,
    forge_api_url,
)
from inventory.organisations.models import Organisation
from inventory.organisations.services import OrganisationHint, organisations_ensure


@dataclass
class ImportReport:
    """What one file's import did. Items read ``"<entity> <label>"`` (entity: forge, account,
    organisation); rejected entries were not stored, warnings were stored as explained."""

    source: str
    fmt: str = ""
    dry_run: bool = False
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    rejected: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    def count(self, outcome: str, entity: str | None = None) -> int:
        items = getattr(self, outcome)
        if entity is None:
            return len(items)
        return sum(1 for item in items if item.split(" ", 1)[0] == entity)

    def summary(self) -> str:
        parts = []
        for entity in ("forge", "account", "organisation"):
            figures = ", ".join(
                f"{self.count(outcome, entity)} {outcome}"
                for outcome in ("created", "updated", "unchanged")
            )
            parts.append(f"{entity}s: {figures}")
        prefix = "[dry run] " if self.dry_run else ""
        return (
            f"{prefix}{self.source} ({self.fmt} format) — {'; '.join(parts)}; "
            f"{len(self.rejected)} rejected, {len(self.warnings)} warnings"
        )


def _validated(instance: Forge | Account, exclude: list[str]) -> None:
    # Uniqueness is checked against the rows loaded up front; the database constraints remain the
    # last line of defence. Skipping the per-row checks spares several queries per entry.
    instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)


def validation_reason(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return "; ".join(
            f"{key}: {' '.join(messages)}" for key, messages in error.message_dict.items()
        )
    return " ".join(error.messages)


def _organisation_id(organisations: Mapping[str, Organisation], fields: Fields) -> int | None:
    organisation = organisations.get(fields.pso_id or "")
    return organisation.pk if organisation is not None else None


def _set_changed(instance: Any, values: Mapping[str, Any]) -> list[str]:
    changed = [name for name, value in values.items() if getattr(instance, name) != value]
    for name in changed:
        setattr(instance, name, values[name])
    return changed


def _organisation_hints(plan: Plan) -> dict[str, OrganisationHint]:
    hints: dict[str, OrganisationHint] = {}
    entries = [entry.fields for entry in plan.forges.values() if entry.explicit]
    entries += [entry.fields for entry in plan.accounts]
    for fields in entries:
        if not fields.pso_id:
            continue
        hint = hints.get(fields.pso_id, OrganisationHint())
        hints[fields.pso_id] = OrganisationHint(
            name=hint.name or fields.organisation_name,
            ministry_pso_ids=hint.ministry_pso_ids
            + tuple(
                pso_id for pso_id in fields.ministry_pso_ids if pso_id not in hint.ministry_pso_ids
            ),
        )
    return hints


def _store_forges(
    plan: Plan, organisations: Mapping[str, Organisation], report: ImportReport, now: dt.datetime
) -> dict[str, Forge]:
    stored = {forge.host: forge for forge in Forge.objects.filter(host__in=list(plan.forges))}
    to_create, to_update, update_fields = [], [], {"updated_at"}
    for host, entry in plan.forges.items():
        forge = stored.get(host)
        values: dict[str, Any] = {}
        if forge is None or entry.kind_given and forge.kind != entry.kind:
            # A stored API URL is kept unless the kind changes: a curator may point it elsewhere.
            values.update(kind=entry.kind, api_url=forge_api_url(host=host, kind=entry.kind))
        if forge is None or entry.explicit:
            values["whole_instance"] = entry.whole_instance
        if entry.explicit:
            fields = entry.fields
            values.update(
                organisation_id=_organisation_id(organisations, fields),
                ignored_since=fields.ignored_since,
                floss_policy=fields.floss_policy,
                ospo_url=fields.ospo_url,
            )
        label = f"forge {host}"
        try:
            if forge is None:
                forge = Forge(host=host, **values)
                _validated(forge, ["organisation"])
                to_create.append(forge)
                report.created.append(label)
            elif changed := _set_changed(forge, values):
                forge.updated_at = now
                _validated(forge, ["organisation"])
                update_fields.update(name.removesuffix("_id") for name in changed)
                to_update.append(forge)
                report.updated.append(label)
            else:
                report.unchanged.append(label)
        except ValidationError as error:
            plan.rejected.append(Problem(entry.location, validation_reason(error)))
            stored.pop(host, None)
            continue
        stored[host] = forge
    Forge.objects.bulk_create(to_create)
    Forge.objects.bulk_update(to_update, sorted(update_fields))
    return {host: stored[host] for host in plan.forges if host in stored}


def _account_label(forge: Forge, login: str) -> str:
    return f"account {forge.host}/{login}" if login else f"account {forge.host} (whole instance)"


def _store_accounts(
    plan: Plan,
    forges: Mapping[str, Forge],
    organisations: Mapping[str, Organisation],
    report: ImportReport,
    now: dt.datetime,
) -> None:
    stored = {
        (account.forge_id, account.login.lower()): account
        for account in Account.objects.filter(forge__in=list(forges.values()))
    }
    to_create, to_update, update_fields = [], {}, {"updated_at"}
    listed = set()
    for entry in plan.accounts:
        forge = forges.get(entry.host)
        if forge is None:
            plan.rejected.append(Problem(entry.location, f"its forge {entry.host} was rejected"))
            continue
        if entry.login and forge.whole_instance and not plan.forges[entry.host].explicit:
            plan.rejected.append(
                Problem(entry.location, covered_reason(forge.host, "the stored forge"))
            )
            continue
        try:
            login_check(entry.login, forge.kind)
        except ValueError as error:
            plan.rejected.append(Problem(entry.location, str(error)))
            continue
        key = (forge.pk, entry.login.lower())
        listed.add(key)
        account = stored.get(key)
        fields = entry.fields
        crawlable = forge.kind in CRAWLABLE_KINDS
        values: dict[str, Any] = {
            "organisation_id": _organisation_id(organisations, fields),
            "ignored_since": fields.ignored_since,
            "floss_policy": fields.floss_policy,
            "ospo_url": fields.ospo_url,
            "state": AccountState.ACTIVE
            if crawlable and not fields.ignored_since
            else AccountState.INACTIVE,
        }
        if account is None or entry.kind is not None:
            values["kind"] = entry.kind or default_account_kind(forge.kind)
        if not crawlable and (account is None or not account.proposal_note):
            values["proposal_note"] = NOT_CRAWLABLE_NOTE.format(kind=forge.get_kind_display())
        label = _account_label(forge, entry.login)
        candidate = (
            Account(forge=forge, login=entry.login, **values) if account is None else account
        )
        changed = [] if account is None else _set_changed(account, values)
        try:
            _validated(candidate, ["forge", "organisation", "proposed_by"])
        except ValidationError as error:
            plan.rejected.append(Problem(entry.location, validation_reason(error)))
            continue
        if account is None:
            to_create.append(candidate)
            stored[key] = candidate
            report.created.append(label)
        elif changed:
            account.updated_at = now
            update_fields.update(name.removesuffix("_id") for name in changed)
            to_update[account.pk] = account
            report.updated.append(label)
        else:
            report.unchanged.append(label)
    _deactivate_superseded(plan, forges, stored, listed, to_update, report, now)
    Account.objects.bulk_create(to_create)
    Account.objects.bulk_update(list(to_update.values()), sorted(update_fields | {"state"}))


def _deactivate_superseded(
    plan: Plan,
    forges: Mapping[str, Forge],
    stored: Mapping[tuple[int, str], Account],
    listed: set[tuple[int, str]],
    to_update: dict[int, Account],
    report: ImportReport,
    now: dt.datetime,
) -> None:
    """A forge now crawled whole no longer needs its owners' crawls, and a forge now listing its
    owners no longer needs the whole-instance crawl: those accounts become inactive (kept)."""
    by_pk = {forge.pk: forge for forge in forges.values()}
    for key, account in stored.items():
        forge = by_pk.get(key[0])
        if forge is None or key in listed or not plan.forges[forge.host].explicit:
            continue
        superseded = bool(account.login) == forge.whole_instance
        if superseded and account.state == AccountState.ACTIVE and account.pk is not None:
            account.state, account.updated_at = AccountState.INACTIVE, now
            to_update[account.pk] = account
            report.updated.append(_account_label(forge, account.login))


def accounts_import(
    *,
    source: str | Path,
    fmt: str | None = None,
    dry_run: bool = False,
    platforms: Mapping[str, str] | None = None,
    name: str | None = None,
) -> ImportReport:
    """Import one registry file (a path, or its text) into Forge, Account and Organisation rows.

    ``fmt`` forces a format (``FORMATS``); ``platforms`` maps hosts to forge kinds for the URL-keyed
    format, which rarely names them. One transaction: the valid entries are stored together (none
    with ``dry_run``); invalid ones are in ``report.rejected``. Raises ApplicationError, changing
    nothing, when the file is not an accounts registry at all. A second run changes nothing.
    """
    text, default_name = source_read(source)
    name = name or default_name
    plan = plan_read(text, name, fmt, platforms or {})
    report = ImportReport(source=name, fmt=plan.fmt, dry_run=dry_run)
    now = timezone.now()
    with transaction.atomic():
        organisations = organisations_ensure(hints=_organisation_hints(plan))
        for outcome in ("created", "updated", "unchanged"):
            getattr(report, outcome).extend(
                f"organisation {organisation.name}"
                for organisation in getattr(organisations, outcome)
            )
        forges = _store_forges(plan, organisations.by_pso_id, report, now)
        _store_accounts(plan, forges, organisations.by_pso_id, report, now)
        if dry_run:
            transaction.set_rollback(True)
        else:
            content_changed()
    report.rejected, report.warnings = plan.rejected, plan.warnings
    return report
