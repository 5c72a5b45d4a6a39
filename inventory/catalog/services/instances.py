"""Instances: an organisation runs a software for an audience, publicly or internally."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from inventory.agents.selectors import approved_organisation_ids, membership_is_approved
from inventory.catalog.models import Instance, Software
from inventory.catalog.services._base import (
    delete_recorded,
    is_curator,
    require_agent,
    save_validated,
)
from inventory.catalog.services.declarations import declaring_organisation
from inventory.core.exceptions import ApplicationError, PermissionDenied
from inventory.organisations.models import Organisation

EDITABLE_FIELDS = frozenset({"target_audience", "public_url"})


def instance_is_editable(*, actor, instance: Instance) -> bool:
    """Curators, the agent who added it, and approved members of its organisation (never an agent
    who only says they belong to it) may change or remove an instance."""
    if actor is None or not actor.is_authenticated or not actor.is_active:
        return False
    return (
        is_curator(actor)
        or instance.added_by_id == actor.pk
        or membership_is_approved(agent=actor, organisation_id=instance.organisation_id)
    )


def instances_editable(*, actor, instances) -> set[int]:
    """The ids of ``instances`` that ``actor`` may change, by instance_is_editable's rule, in
    one query whatever their number (for a page listing them)."""
    if actor is None or not actor.is_authenticated or not actor.is_active:
        return set()
    if is_curator(actor):
        return {instance.pk for instance in instances}
    approved = approved_organisation_ids(agent=actor)
    return {
        instance.pk
        for instance in instances
        if instance.added_by_id == actor.pk or instance.organisation_id in approved
    }


def _require_instance_editor(actor, instance: Instance) -> None:
    require_agent(actor)
    if not instance_is_editable(actor=actor, instance=instance):
        raise PermissionDenied(_("You can only change your own organisation's instances."))


@transaction.atomic
def instance_add(
    *,
    agent,
    software: Software,
    organisation: Organisation | None = None,
    target_audience: str = "",
    public_url: str = "",
) -> Instance:
    require_agent(agent)
    instance = Instance(
        software=software,
        organisation=declaring_organisation(agent, organisation),
        target_audience=target_audience.strip(),
        public_url=public_url.strip(),
        added_by=agent,
    )
    save_validated(instance, actor=agent)
    return instance


@transaction.atomic
def instance_update(*, actor, instance: Instance, **fields: Any) -> Instance:
    _require_instance_editor(actor, instance)
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise ApplicationError(
            _("These fields cannot be set here: %(fields)s.")
            % {"fields": ", ".join(sorted(unknown))}
        )
    instance = Instance.objects.select_for_update().get(pk=instance.pk)
    for field, value in fields.items():
        setattr(instance, field, (value or "").strip())
    save_validated(instance, actor=actor)
    return instance


@transaction.atomic
def instance_delete(*, actor, instance: Instance) -> None:
    _require_instance_editor(actor, instance)
    delete_recorded(instance, actor=actor)
