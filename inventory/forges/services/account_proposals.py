"""Proposals of accounts to crawl: agents propose, curators accept, reject or deactivate."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from inventory.core.content import content_changed
from inventory.core.exceptions import ApplicationError, PermissionDenied
from inventory.forges.models import Account, AccountState, Forge
from inventory.forges.services.accounts_readers import login_check
from inventory.forges.services.accounts_writers import validation_reason
from inventory.forges.services.forges import account_kinds_for, host_normalise, login_normalise
from inventory.organisations.models import Organisation


def _require_agent(actor: Any) -> None:
    if actor is None or not actor.is_authenticated or not actor.is_active:
        raise PermissionDenied(_("You must be signed in as a public agent to propose an account."))


def _require_curator(actor: Any) -> None:
    _require_agent(actor)
    if not actor.is_staff:
        raise PermissionDenied(_("Only curators can review the accounts registry."))


def _locked(account: Account) -> Account:
    return Account.objects.select_for_update().select_related("forge").get(pk=account.pk)


@transaction.atomic
def account_propose(
    *,
    agent: Any,
    forge_host: str,
    login: str,
    kind: str,
    organisation: Organisation | None = None,
    note: str = "",
) -> Account:
    """An agent proposes an account to crawl; it waits in state "proposed" for a curator.
    ``organisation`` None means the agent's own."""
    _require_agent(agent)
    try:
        host = host_normalise(forge_host)
        login = login_normalise(login)
    except ValueError as error:
        raise ApplicationError(f"{str(error)[0].upper()}{str(error)[1:]}.") from error
    forge = Forge.objects.filter(host=host).first()
    if forge is None:
        raise ApplicationError(
            _("%(host)s is not a forge Logithèque knows yet: ask a curator to add it.")
            % {"host": host}
        )
    if forge.whole_instance:
        raise ApplicationError(
            _("Every public project of %(host)s is already crawled: nothing to add.")
            % {"host": host}
        )
    try:
        login_check(login, forge.kind)
    except ValueError as error:
        raise ApplicationError(f"{str(error)[0].upper()}{str(error)[1:]}.") from error
    if kind not in account_kinds_for(forge.kind):
        allowed = ", ".join(account_kinds_for(forge.kind))
        raise ApplicationError(
            _("An account on %(host)s is one of: %(kinds)s.") % {"host": host, "kinds": allowed}
        )
    existing = Account.objects.filter(forge=forge, login__iexact=login).first()
    if existing is not None:
        raise ApplicationError(
            _("%(account)s is already in the registry (%(state)s).")
            % {"account": existing, "state": existing.get_state_display()},
            {"account_id": existing.pk},
        )
    account = Account(
        forge=forge,
        login=login,
        kind=kind,
        organisation=organisation or agent.organisation,
        state=AccountState.PROPOSED,
        proposed_by=agent,
        proposal_note=note.strip(),
    )
    try:
        account.full_clean()
    except ValidationError as error:
        raise ApplicationError(validation_reason(error)) from error
    account.save()
    return account


@transaction.atomic
def account_accept(*, curator: Any, account: Account) -> Account:
    """A curator accepts a proposed (or formerly rejected) account: it is crawled from now on."""
    _require_curator(curator)
    account = _locked(account)
    if account.state not in (AccountState.PROPOSED, AccountState.REJECTED):
        raise ApplicationError(
            _("%(account)s is not a proposal (%(state)s).")
            % {"account": account, "state": account.get_state_display()}
        )
    if account.forge.whole_instance:
        raise ApplicationError(
            _("Every public project of %(host)s is already crawled.") % {"host": account.forge.host}
        )
    account.state = AccountState.ACTIVE
    account.save(update_fields=["state", "updated_at"])
    content_changed()
    return account


@transaction.atomic
def account_reject(*, curator: Any, account: Account, reason: str) -> Account:
    """A curator turns a proposal down, saying why (kept in the proposal note)."""
    _require_curator(curator)
    reason = reason.strip()
    if not reason:
        raise ApplicationError(_("Say why the proposal is rejected."))
    account = _locked(account)
    if account.state != AccountState.PROPOSED:
        raise ApplicationError(
            _("%(account)s is not a proposal (%(state)s).")
            % {"account": account, "state": account.get_state_display()}
        )
    account.state = AccountState.REJECTED
    rejection = f"Rejected by {curator.get_username()}: {reason}"
    account.proposal_note = f"{account.proposal_note}\n\n{rejection}".strip()
    account.save(update_fields=["state", "proposal_note", "updated_at"])
    return account


@transaction.atomic
def account_deactivate(*, curator: Any, account: Account) -> Account:
    """A curator stops crawling an account; it and its repositories are kept."""
    _require_curator(curator)
    account = _locked(account)
    if account.state != AccountState.ACTIVE:
        raise ApplicationError(
            _("%(account)s is not active (%(state)s).")
            % {"account": account, "state": account.get_state_display()}
        )
    account.state = AccountState.INACTIVE
    account.save(update_fields=["state", "updated_at"])
    content_changed()
    return account
