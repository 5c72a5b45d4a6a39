"""Exporting the accounts registry as code.gouv.fr's current YAML or as our CSV."""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import Any

import yaml

from inventory.core.csv_writer import csv_writer
from inventory.core.exceptions import ApplicationError
from inventory.forges.models import Account, AccountState, Forge
from inventory.forges.services.accounts_readers import CSV_COLUMNS, FORMAT_CSV, FORMAT_CURRENT
from inventory.organisations.models import UNKNOWN_PSO_ID, Organisation

REGISTERED_STATES = (AccountState.ACTIVE, AccountState.INACTIVE)

EXPORT_HEADER = """\
# Public-sector forge accounts, exported by Logithèque in the format of code.gouv.fr's
# comptes-organismes-publics.yml.
#
# Each top-level entry is the host of a forge, with:
# - forge (mandatory): github, gitlab, gitea, gogs or sourcehut;
# - owners (optional): the organisations, users or (sub)groups crawled on a mixed forge;
#   a forge without owners is dedicated to the public sector and crawled whole;
# - pso_id: the organisation's identifier on https://lannuaire.service-public.fr
#   (00000000-0000-0000-0000-000000000000: unknown); an owner without one is the forge's;
# - ignored_since (date), floss_policy (URL), ospo_url (URL): on a forge or an owner.
"""


def _pso_id_of(organisation: Organisation | None) -> str:
    return organisation.pso_id if organisation is not None and organisation.pso_id else ""


def _fields_dump(*, pso_id: str | None, ignored_since, floss_policy: str, ospo_url: str) -> dict:
    data: dict[str, Any] = {}
    if pso_id is not None:
        data["pso_id"] = pso_id or UNKNOWN_PSO_ID
    if ignored_since:
        data["ignored_since"] = ignored_since
    if floss_policy:
        data["floss_policy"] = floss_policy
    if ospo_url:
        data["ospo_url"] = ospo_url
    return data


def _export_rows() -> tuple[list[Forge], dict[int, list[Account]]]:
    forges = list(Forge.objects.select_related("organisation").order_by("host"))
    accounts: dict[int, list[Account]] = {}
    registered = (
        Account.objects.filter(state__in=REGISTERED_STATES)
        .select_related("organisation")
        .order_by("forge_id", "login")
    )
    for account in registered:
        accounts.setdefault(account.forge_id, []).append(account)
    return forges, accounts


def _export_current(forges: list[Forge], accounts: Mapping[int, list[Account]]) -> str:
    blocks = [EXPORT_HEADER]
    for forge in forges:
        forge_pso_id = _pso_id_of(forge.organisation)
        owners = [account for account in accounts.get(forge.pk, []) if account.login]
        if not forge.whole_instance and not owners:
            continue  # written without owners, it would read back as a whole instance
        entry: dict[str, Any] = {"forge": forge.kind}
        entry.update(
            _fields_dump(
                pso_id=forge_pso_id if forge.whole_instance or forge.organisation_id else None,
                ignored_since=forge.ignored_since,
                floss_policy=forge.floss_policy,
                ospo_url=forge.ospo_url,
            )
        )
        if not forge.whole_instance:
            entry["owners"] = {
                account.login: _fields_dump(
                    pso_id=_pso_id_of(account.organisation)
                    if _pso_id_of(account.organisation) != forge_pso_id
                    else None,
                    ignored_since=account.ignored_since
                    if account.ignored_since != forge.ignored_since
                    else None,
                    floss_policy=account.floss_policy,
                    ospo_url=account.ospo_url,
                )
                or None
                for account in owners
            }
        blocks.append(
            yaml.safe_dump({forge.host: entry}, sort_keys=False, allow_unicode=True, width=200)
        )
    return "\n".join(blocks)


def _export_csv(forges: list[Forge], accounts: Mapping[int, list[Account]]) -> str:
    output = io.StringIO()
    writer = csv_writer(output)
    writer.writerow(CSV_COLUMNS)
    for forge in forges:
        for account in accounts.get(forge.pk, []):
            source = account if account.login else forge
            organisation = source.organisation
            row = {
                "forge_host": forge.host,
                "forge_kind": forge.kind,
                "login": account.login,
                "kind": account.kind if account.login else "",
                "pso_id": _pso_id_of(organisation),
                "organisation_name": organisation.name if organisation is not None else "",
                "floss_policy": source.floss_policy,
                "ospo_url": source.ospo_url,
                "ignored_since": source.ignored_since.isoformat() if source.ignored_since else "",
            }
            writer.writerow(row[column] for column in CSV_COLUMNS)
    return output.getvalue()


def accounts_export(*, fmt: str = FORMAT_CURRENT) -> str:
    """The registry (active and inactive accounts) as code.gouv.fr's current YAML or as our CSV;
    importing the output gives the same registry back. Three queries."""
    if fmt not in (FORMAT_CURRENT, FORMAT_CSV):
        raise ApplicationError(f"Cannot export the accounts as {fmt!r} (current or csv).")
    forges, accounts = _export_rows()
    return (
        _export_current(forges, accounts)
        if fmt == FORMAT_CURRENT
        else _export_csv(forges, accounts)
    )
