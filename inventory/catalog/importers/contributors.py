"""``sill-contributors.json``: the organisations that contribute referents to the SILL."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils.text import slugify

from inventory.catalog.importers.base import ImportReport, RecordError
from inventory.catalog.services._base import validation_message
from inventory.catalog.services.software import name_fold
from inventory.organisations.models import Organisation

ANNUAIRE_HOST = "lannuaire.service-public.fr"
PSO_ID_LENGTH = Organisation._meta.get_field("pso_id").max_length


def annuaire_id(url: str) -> str:
    """The organisation's path in the Annuaire (what ``Organisation.annuaire_url`` rebuilds the
    URL from), or "" when the URL points elsewhere."""
    parts = urlsplit(url.strip())
    if parts.hostname != ANNUAIRE_HOST:
        return ""
    return parts.path.strip("/")


def organisation_unique_slug(text: str) -> str:
    base = slugify(text)[:110] or "organisation"
    slug, counter = base, 2
    while Organisation.objects.filter(slug=slug).exists():
        slug, counter = f"{base}-{counter}", counter + 1
    return slug


def _text(record: dict, key: str) -> str:
    value = record.get(key) or ""
    if not isinstance(value, str):
        raise RecordError(f"“{key}” must be text, not {type(value).__name__}.")
    return value.strip()


def _find(name: str, pso_id: str) -> Organisation | None:
    if pso_id:
        found = Organisation.objects.filter(pso_id=pso_id).first()
        if found:
            return found
    folded = name_fold(name)
    return next(
        (
            org
            for org in Organisation.objects.filter(name__iexact=name)
            if name_fold(org.name) == folded
        ),
        None,
    )


def contributors_import(records: list, *, report: ImportReport, source: str) -> None:
    for index, record in enumerate(records, start=1):
        location = f"{source}: entry {index}"
        try:
            if not isinstance(record, dict):
                raise RecordError(f"expected an object, found {type(record).__name__}.")
            name = _text(record, "Organisme")
            if not name:
                raise RecordError("“Organisme” (the name) is missing.")
            url = _text(record, "Annuaire")
            pso_id = annuaire_id(url)
            if len(pso_id) > PSO_ID_LENGTH:
                report.warn(location, f"Annuaire path too long for an id, kept as website: {url}")
                pso_id = ""
            fields = {"name": name, "acronym": _text(record, "Acronyme"), "pso_id": pso_id}
            if url and not pso_id:
                fields["website"] = url
            with transaction.atomic():
                organisation = _find(name, pso_id)
                if organisation is None:
                    organisation = Organisation(
                        **fields, slug=organisation_unique_slug(fields["acronym"] or name)
                    )
                    outcome = "created"
                else:
                    changed = {
                        k: v for k, v in fields.items() if v and getattr(organisation, k) != v
                    }
                    for key, value in changed.items():
                        setattr(organisation, key, value)
                    outcome = "updated" if changed else "unchanged"
                if outcome != "unchanged":
                    try:
                        organisation.full_clean()
                    except ValidationError as error:
                        raise RecordError(validation_message(error)) from error
                    organisation.save()
                report.count(outcome)
        except RecordError as error:
            report.reject(location, str(error))
        except DatabaseError as error:
            report.reject(location, f"the database refused the record: {error}")
