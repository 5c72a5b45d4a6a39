"""Curators' admin for public organisations, with their registered accounts and repositories counted."""

from django.contrib import admin, messages
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from inventory.organisations.models import Organisation, OrganisationStatus
from inventory.organisations.selectors import organisation_list_with_counts
from inventory.organisations.services import organisation_review


class MinistryFilter(admin.SimpleListFilter):
    """Only the top organisations are offered (not every organisation, as a plain FK filter would)."""

    title = _("ministry")
    parameter_name = "ministry"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        tops = Organisation.objects.filter(is_top=True).order_by("name").values_list("pk", "name")
        return [("none", _("Unknown")), *[(str(pk), name) for pk, name in tops]]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() == "none":
            return queryset.filter(ministry__isnull=True)
        if self.value() and self.value().isdigit():
            return queryset.filter(ministry_id=int(self.value()))
        return queryset


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    # Links typed without a scheme are read as https (Django 6's default, stated now).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = [
        "name",
        "acronym",
        "pso_id",
        "ministry",
        "is_top",
        "status",
        "accounts_count",
        "repositories_count",
    ]
    list_filter = ["status", "is_top", MinistryFilter]
    actions = ["validate", "refuse"]
    search_fields = ["name", "acronym", "pso_id"]
    list_select_related = ["ministry"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent", "ministry"]
    readonly_fields = ["annuaire_url", "created_at", "updated_at"]
    fields = [
        "name",
        "slug",
        "acronym",
        "pso_id",
        "annuaire_url",
        "parent",
        "ministry",
        "is_top",
        "status",
        "website",
        "floss_policy",
        "ospo_url",
        "created_at",
        "updated_at",
    ]

    @admin.action(description=_("Validate the selected organisations (they become public)"))
    def validate(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._review(request, queryset, validate=True)

    @admin.action(description=_("Refuse the selected organisations"))
    def refuse(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._review(request, queryset, validate=False)

    def _review(self, request: HttpRequest, queryset: QuerySet, *, validate: bool) -> None:
        target = OrganisationStatus.VALIDATED if validate else OrganisationStatus.REFUSED
        count = 0
        for organisation in queryset.exclude(status=target):
            organisation_review(actor=request.user, organisation=organisation, validate=validate)
            count += 1
        message = ngettext(
            "%(count)d organisation updated.", "%(count)d organisations updated.", count
        ) % {"count": count}
        self.message_user(request, message, messages.SUCCESS)

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return organisation_list_with_counts()

    @admin.display(description=_("accounts"), ordering="accounts_count")
    def accounts_count(self, organisation: Organisation) -> int:
        return organisation.accounts_count

    @admin.display(description=_("repositories"), ordering="repositories_count")
    def repositories_count(self, organisation: Organisation) -> int:
        return organisation.repositories_count

    @admin.display(description=_("Annuaire page"))
    def annuaire_url(self, organisation: Organisation) -> str:
        return organisation.annuaire_url
