"""Merging duplicate entries: everything moves to the target, then the source is deleted."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from inventory.catalog.models import (
    Comment,
    Instance,
    ReferentDeclaration,
    Software,
    UserDeclaration,
)
from inventory.catalog.services._base import delete_recorded, require_curator, save_validated
from inventory.catalog.services.search_documents import software_search_documents_refresh
from inventory.core.exceptions import ApplicationError

# Fields the target takes from the source when it has none of its own.
FILLABLE_FIELDS = (
    "function", "description", "description_en", "long_description", "homepage_url",
    "documentation_url", "source_url", "logo_url", "external_id", "external_data_origin",
    "comptoir_du_libre_id", "framalibre_id", "framalibre_name", "component", "sector",
    "workgroup", "audience", "use_context", "label", "version_min", "version_max",
    "proprietary_equivalents", "test_url", "formats", "repository",
)  # fmt: skip


def _move_declarations(model, *, source: Software, target: Software, curator) -> None:
    """Each declaration moves to the target, unless its agent already declared there: then
    the target's own declaration is kept and the source's is deleted (with its history)."""
    on_target = set(model.objects.filter(software=target).values_list("agent_id", flat=True))
    for declaration in model.objects.filter(software=source).select_for_update():
        if declaration.agent_id in on_target:
            declaration._change_reason = f"merged into {target.name}: already declared there"
            delete_recorded(declaration, actor=curator)
            continue
        declaration.software = target
        declaration._change_reason = f"moved from {source.name} (merged)"
        save_validated(declaration, actor=curator)


@transaction.atomic
def software_merge(*, curator, source: Software, target: Software) -> Software:
    """Move declarations, instances, comments, links and missing details from ``source`` to
    ``target``, then delete ``source``. The deletion stays in the history (with every field),
    and the target remembers the merged entry's SILL id so re-imports do not bring it back."""
    require_curator(curator)
    if source.pk == target.pk:
        raise ApplicationError(_("Pick two different entries to merge."))
    source = Software.objects.select_for_update().get(pk=source.pk)
    target = Software.objects.select_for_update().get(pk=target.pk)

    _move_declarations(ReferentDeclaration, source=source, target=target, curator=curator)
    _move_declarations(UserDeclaration, source=source, target=target, curator=curator)
    for instance in Instance.objects.filter(software=source).select_for_update():
        instance.software = target
        instance._change_reason = f"moved from {source.name} (merged)"
        save_validated(instance, actor=curator)
    Comment.objects.filter(software=source).update(software=target)
    Software.objects.filter(parent=source).exclude(pk=target.pk).update(parent=target)

    target.categories.add(*source.categories.all())
    target.similar.add(*source.similar.exclude(pk=target.pk))
    for similar_of in source.similar_of.exclude(pk=target.pk):
        similar_of.similar.add(target)
    for field in FILLABLE_FIELDS:
        if not getattr(target, field) and getattr(source, field):
            setattr(target, field, getattr(source, field))
    target.keywords = list(dict.fromkeys([*target.keywords, *source.keywords]))
    target.catalog_years = sorted({*target.catalog_years, *source.catalog_years})
    if target.parent_id == source.pk:
        target.parent = None
    if target.referents.exists():
        target.needs_referent = False
    target.source_records = {
        **target.source_records,
        "merged": [
            *target.source_records.get("merged", []),
            *source.source_records.get("merged", []),
            {"sill_id": source.sill_id, "name": source.name, "slug": source.slug},
        ],
    }
    target._change_reason = f"merged {source.name} into it"
    source._change_reason = f"merged into {target.name}"
    delete_recorded(source, actor=curator)
    save_validated(target, actor=curator)
    software_search_documents_refresh(software_ids=[target.pk])
    return target
