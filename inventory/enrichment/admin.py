"""Curators' admin of the enrichment: each source's status, the links to confirm or reject."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from inventory.catalog.admin import CuratorAccessMixin, run_service
from inventory.enrichment.models import EnrichmentRecord, Match, SourceStatus
from inventory.enrichment.services.links import enrichment_match_confirm, enrichment_match_reject


class ReadOnlyAdmin(CuratorAccessMixin, admin.ModelAdmin):
    """Written by the enrichment runs only."""

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SourceStatus)
class SourceStatusAdmin(ReadOnlyAdmin):
    list_display = (
        "source",
        "healthy",
        "last_success_at",
        "last_attempt_at",
        "last_error",
        "last_error_at",
        "runs",
        "failures",
        "last_requests",
        "last_updated",
        "last_not_modified",
    )

    @admin.display(boolean=True, description=_("last refresh succeeded"))
    def healthy(self, obj: SourceStatus) -> bool:
        return obj.ok


class PendingConfirmationFilter(admin.SimpleListFilter):
    title = _("confirmation")
    parameter_name = "to_confirm"

    def lookups(self, request, model_admin):
        return [("yes", _("name matches to confirm"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(match=Match.UNCERTAIN, confirmed=False).exclude(
                status="rejected"
            )
        return queryset


@admin.register(EnrichmentRecord)
class EnrichmentRecordAdmin(CuratorAccessMixin, admin.ModelAdmin):
    list_display = (
        "software",
        "source",
        "external_id",
        "match",
        "confirmed",
        "status",
        "license_problem",
        "fetched_at",
    )
    list_filter = (PendingConfirmationFilter, "source", "match", "confirmed", "status")
    search_fields = ("software__name", "external_id")
    list_select_related = ("software",)
    actions = ("confirm_matches", "reject_matches")
    readonly_fields = [field.name for field in EnrichmentRecord._meta.fields]

    def has_add_permission(self, request, *args):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Confirm the selected matches"))
    def confirm_matches(self, request, queryset):
        run_service(
            self,
            request,
            queryset,
            lambda record: enrichment_match_confirm(actor=request.user, record_id=record.pk),
            "{count} match(es) confirmed.",
        )

    @admin.action(description=_("Reject the selected matches"))
    def reject_matches(self, request, queryset):
        run_service(
            self,
            request,
            queryset,
            lambda record: enrichment_match_reject(actor=request.user, record_id=record.pk),
            "{count} match(es) rejected.",
        )
