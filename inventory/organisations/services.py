"""Writes on public organisations: find or create them by Annuaire id, import the top organisations."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from inventory.core.content import content_changed
from inventory.core.exceptions import ApplicationError, PermissionDenied
from inventory.organisations.models import UNKNOWN_PSO_ID, Organisation, OrganisationStatus

PSO_ID_PATTERN = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
PLACEHOLDER_PREFIX = "Organisation "
SLUG_MAX_LENGTH = 100


def pso_id_normalise(value: object) -> str:
    """The Annuaire id in canonical form, "" when it means "unknown"; ValueError when malformed."""
    if not isinstance(value, str):
        raise ValueError(f"pso_id must be a text identifier, not {type(value).__name__}")
    pso_id = value.strip().lower()
    if not PSO_ID_PATTERN.match(pso_id):
        raise ValueError(f"pso_id {value!r} is not an Annuaire identifier (8-4-4-4-12 hexadecimal)")
    return "" if pso_id == UNKNOWN_PSO_ID else pso_id


def organisation_placeholder_name(pso_id: str) -> str:
    """The name given to an organisation known only by its Annuaire id."""
    return f"{PLACEHOLDER_PREFIX}{pso_id[:8]}"


def is_placeholder_name(organisation: Organisation) -> bool:
    return bool(organisation.pso_id) and organisation.name == organisation_placeholder_name(
        organisation.pso_id
    )


def organisation_placeholder_rename(*, organisation_id: int | None, name: str) -> bool:
    """Give an organisation known only by its Annuaire id ("Organisation c21fa08e") the name
    its forge account shows; a real name (a curator's, the Annuaire's) is never replaced."""
    name = " ".join((name or "").split())[:300]
    if organisation_id is None or not name:
        return False
    organisation = Organisation.objects.filter(pk=organisation_id).first()
    if organisation is None or not is_placeholder_name(organisation):
        return False
    organisation.name = name
    _validated(organisation).save(update_fields=["name", "updated_at"])
    return True


@dataclass(frozen=True)
class OrganisationHint:
    """What an import knows of an organisation besides its Annuaire id."""

    name: str = ""
    # Annuaire ids above it, nearest first; the first that is a top organisation is its ministry.
    ministry_pso_ids: tuple[str, ...] = ()


@dataclass
class OrganisationsResult:
    """Organisations an import needed, by Annuaire id, and what it did to them."""

    by_pso_id: dict[str, Organisation] = field(default_factory=dict)
    created: list[Organisation] = field(default_factory=list)
    updated: list[Organisation] = field(default_factory=list)
    unchanged: list[Organisation] = field(default_factory=list)
    problems: list[tuple[str, str]] = field(default_factory=list)  # (location, reason)


def _unique_slugs(names: Iterable[tuple[str, str]], taken: set[str]) -> dict[str, str]:
    """Map each pso_id to a slug of its name that no organisation uses yet."""
    slugs = {}
    for pso_id, name in names:
        base = slugify(name)[: SLUG_MAX_LENGTH - 10] or "organisation"
        slug, counter = base, 2
        while slug in taken:
            slug = f"{base}-{counter}"
            counter += 1
        taken.add(slug)
        slugs[pso_id] = slug
    return slugs


def _validated(organisation: Organisation) -> Organisation:
    # Uniqueness is ensured by the caller from rows it loaded; the database constraints stay the
    # last line of defence. Skipping them here spares one query per row.
    organisation.full_clean(
        validate_unique=False, validate_constraints=False, exclude=["ministry", "parent"]
    )
    return organisation


def _ministry_of(hint: OrganisationHint, tops: Mapping[str, Organisation]) -> Organisation | None:
    return next((tops[pso_id] for pso_id in hint.ministry_pso_ids if pso_id in tops), None)


def organisations_ensure(*, hints: Mapping[str, OrganisationHint]) -> OrganisationsResult:
    """Find or create one organisation per Annuaire id, in a handful of queries.

    A name in ``hints`` replaces only a placeholder name (a curator's or the top list's name
    wins); a hinted ministry is set when it is a known top organisation. Call inside a transaction.
    """
    result = OrganisationsResult()
    pso_ids = [pso_id for pso_id in hints if pso_id]
    if not pso_ids:
        return result
    ministry_ids = {pso_id for hint in hints.values() for pso_id in hint.ministry_pso_ids}
    rows = Organisation.objects.filter(pso_id__in=set(pso_ids) | ministry_ids)
    known = {organisation.pso_id: organisation for organisation in rows}
    tops = {pso_id: organisation for pso_id, organisation in known.items() if organisation.is_top}
    now = timezone.now()

    missing = [pso_id for pso_id in pso_ids if pso_id not in known]
    names = {
        pso_id: hints[pso_id].name or organisation_placeholder_name(pso_id) for pso_id in missing
    }
    taken = set(Organisation.objects.values_list("slug", flat=True)) if missing else set()
    slugs = _unique_slugs(names.items(), taken)
    to_create = []
    for pso_id in missing:
        ministry = _ministry_of(hints[pso_id], tops)
        to_create.append(
            _validated(
                Organisation(
                    pso_id=pso_id, name=names[pso_id][:300], slug=slugs[pso_id], ministry=ministry
                )
            )
        )
    Organisation.objects.bulk_create(to_create)
    result.created = to_create
    known.update({organisation.pso_id: organisation for organisation in to_create})

    to_update = []
    for pso_id in pso_ids:
        organisation = known[pso_id]
        if organisation in to_create:
            continue
        hint = hints[pso_id]
        changed = False
        if hint.name and is_placeholder_name(organisation) and hint.name != organisation.name:
            organisation.name = hint.name[:300]
            changed = True
        ministry = _ministry_of(hint, tops)
        if (
            ministry is not None
            and not organisation.is_top
            and organisation.ministry_id != ministry.pk
        ):
            organisation.ministry = ministry
            changed = True
        if changed:
            organisation.updated_at = now
            to_update.append(_validated(organisation))
        else:
            result.unchanged.append(organisation)
    Organisation.objects.bulk_update(to_update, ["name", "ministry", "updated_at"])
    result.updated = to_update
    result.by_pso_id = {pso_id: known[pso_id] for pso_id in pso_ids}
    return result


@transaction.atomic
def organisation_get_or_create(
    *,
    pso_id: str,
    name: str = "",
    acronym: str = "",
    website: str = "",
    ministry: Organisation | None = None,
) -> tuple[Organisation, bool]:
    """The organisation with this Annuaire id, created (with ``name`` or a placeholder) if missing."""
    try:
        pso_id = pso_id_normalise(pso_id)
    except ValueError as error:
        raise ApplicationError(str(error)) from error
    if not pso_id:
        raise ApplicationError("An unknown Annuaire id cannot identify an organisation.")
    existing = Organisation.objects.filter(pso_id=pso_id).first()
    if existing is not None:
        return existing, False
    name = name.strip() or organisation_placeholder_name(pso_id)
    taken = set(
        Organisation.objects.filter(slug__startswith=slugify(name)[:20]).values_list(
            "slug", flat=True
        )
    )
    organisation = Organisation(
        pso_id=pso_id,
        name=name,
        slug=_unique_slugs([(pso_id, name)], taken)[pso_id],
        acronym=acronym,
        website=website,
        ministry=ministry,
    )
    try:
        organisation.full_clean()
    except ValidationError as error:
        raise ApplicationError(
            " ".join(error.messages), {"fields": getattr(error, "message_dict", {})}
        ) from error
    organisation.save()
    return organisation, True


ORGANISATION_NAME_MAX_LENGTH = 200


@transaction.atomic
def organisation_propose(*, name: str) -> Organisation:
    """A pending organisation named by an agent, for curators to validate.

    The name is trimmed and its spaces collapsed; it must hold a letter.
    """
    name = " ".join(str(name or "").split())
    if not any(character.isalpha() for character in name):
        raise ApplicationError(_("Enter the name of your organisation."), {"field": "organisation"})
    if len(name) > ORGANISATION_NAME_MAX_LENGTH:
        raise ApplicationError(
            _("An organisation's name has at most %(count)d characters.")
            % {"count": ORGANISATION_NAME_MAX_LENGTH},
            {"field": "organisation"},
        )
    base = slugify(name)[: SLUG_MAX_LENGTH - 10] or "organisation"
    taken = set(Organisation.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, counter = base, 2
    while slug in taken:
        slug = f"{base}-{counter}"
        counter += 1
    organisation = Organisation(name=name, slug=slug, status=OrganisationStatus.PENDING)
    organisation.full_clean()
    organisation.save()
    return organisation


@transaction.atomic
def organisation_review(*, actor, organisation: Organisation, validate: bool) -> Organisation:
    """A curator validates a pending organisation (it becomes public) or refuses it."""
    if not (actor is not None and actor.is_authenticated and actor.is_active and actor.is_staff):
        raise PermissionDenied(_("Only curators can do this."))
    organisation.status = OrganisationStatus.VALIDATED if validate else OrganisationStatus.REFUSED
    organisation.save(update_fields=["status", "updated_at"])
    content_changed()
    return organisation


def _read_mapping(path: Path) -> dict:
    """The top-level mapping of a small YAML list (top organisations, OSPOs)."""
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise ApplicationError(f"{path.name}: cannot be read ({error}).") from error
    except RecursionError:
        raise ApplicationError(f"{path.name}: cannot be read (YAML nested too deeply).") from None
    if not isinstance(data, dict):
        raise ApplicationError(f"{path.name}: expected a mapping at the top level.")
    return data


@transaction.atomic
def organisations_import_top(*, path: str | Path) -> OrganisationsResult:
    """Create or update the top organisations (ministries…) of a ``top_organizations.yml``.

    The file's name wins over the stored one; each top organisation is its own ministry, so
    grouping by ministry puts it with the organisations below it. Invalid lines are reported.
    """
    hints: dict[str, OrganisationHint] = {}
    problems = []
    for key, name in _read_mapping(Path(path)).items():
        location = f"{Path(path).name}: {key}"
        try:
            pso_id = pso_id_normalise(str(key))
        except ValueError as error:
            problems.append((location, str(error)))
            continue
        if not pso_id or not isinstance(name, str) or not name.strip():
            problems.append((location, "expected a known Annuaire id and a name"))
            continue
        hints[pso_id] = OrganisationHint(name=name.strip())
    result = organisations_ensure(hints=hints)
    result.problems = problems
    now = timezone.now()
    newly_updated = []
    for pso_id, organisation in result.by_pso_id.items():
        name = hints[pso_id].name[:300]
        if (
            organisation.name != name
            or not organisation.is_top
            or organisation.ministry_id != organisation.pk
        ):
            organisation.name, organisation.is_top, organisation.ministry = name, True, organisation
            organisation.updated_at = now
            newly_updated.append(organisation)
    Organisation.objects.bulk_update(newly_updated, ["name", "is_top", "ministry", "updated_at"])
    created = {organisation.pk for organisation in result.created}
    result.updated = [
        o for o in result.by_pso_id.values() if o in newly_updated and o.pk not in created
    ]
    result.unchanged = [o for o in result.by_pso_id.values() if o not in newly_updated]
    return result


@transaction.atomic
def organisations_import_ospo(*, path: str | Path) -> OrganisationsResult:
    """Fill organisations' OSPO and free-software policy links from ``fr-public-sector-ospo.yml``
    (URL of the OSPO → name, pso_id, floss_policy, …), creating organisations that are missing.

    Only empty links are filled: a link a curator set, or a previous import's, is kept. Entries
    without a known pso_id cannot be tied to an organisation and are reported."""
    hints: dict[str, OrganisationHint] = {}
    links: dict[str, tuple[str, str]] = {}
    problems = []
    for url, entry in _read_mapping(Path(path)).items():
        location = f"{Path(path).name}: {url}"
        try:
            if not isinstance(entry, dict):
                raise ValueError("expected a mapping of fields")
            pso_id = pso_id_normalise(entry.get("pso_id") or UNKNOWN_PSO_ID)
        except ValueError as error:
            problems.append((location, str(error)))
            continue
        if not pso_id:
            problems.append((location, "no pso_id: not tied to an organisation"))
            continue
        hints.setdefault(pso_id, OrganisationHint())
        links.setdefault(pso_id, (str(url).strip(), str(entry.get("floss_policy") or "").strip()))
    result = organisations_ensure(hints=hints)
    result.problems = problems
    now = timezone.now()
    filled = []
    for pso_id, organisation in result.by_pso_id.items():
        ospo_url, floss_policy = links[pso_id]
        changed = False
        if not organisation.ospo_url and ospo_url:
            organisation.ospo_url, changed = ospo_url, True
        if not organisation.floss_policy and floss_policy:
            organisation.floss_policy, changed = floss_policy, True
        if changed:
            organisation.updated_at = now
            try:
                _validated(organisation)
            except ValidationError as error:
                problems.append((f"{Path(path).name}: {ospo_url}", " ".join(error.messages)))
                continue
            filled.append(organisation)
    Organisation.objects.bulk_update(filled, ["ospo_url", "floss_policy", "updated_at"])
    created = {organisation.pk for organisation in result.created}
    result.updated = [o for o in filled if o.pk not in created]
    result.unchanged = [
        o for o in result.by_pso_id.values() if o not in filled and o.pk not in created
    ]
    return result
