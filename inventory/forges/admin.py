"""Curators' admin for forges, accounts (with the review of proposals), repositories and crawl runs."""

from __future__ import annotations

from functools import partial

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.db import models, transaction
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from inventory.core.exceptions import ApplicationError
from inventory.forges.models import (
    Account,
    AccountCrawl,
    AccountState,
    CrawlRun,
    Forge,
    Repository,
)
from inventory.forges.services.account_proposals import (
    account_accept,
    account_deactivate,
    account_reject,
)

# Links typed without a scheme are read as https (Django 6's default, stated now).
URL_FIELDS_HTTPS = {models.URLField: {"assume_scheme": "https"}}


class _NullDateFilter(admin.SimpleListFilter):
    """Yes/no on whether a date field is set."""

    field_name = ""

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() in ("yes", "no"):
            return queryset.filter(**{f"{self.field_name}__isnull": self.value() == "no"})
        return queryset


class IgnoredFilter(_NullDateFilter):
    title = _("ignored")
    parameter_name = "ignored"
    field_name = "ignored_since"


class GoneFilter(_NullDateFilter):
    title = _("gone from the forge")
    parameter_name = "gone"
    field_name = "gone_at"


@admin.register(Forge)
class ForgeAdmin(admin.ModelAdmin):
    formfield_overrides = URL_FIELDS_HTTPS
    list_display = [
        "host",
        "kind",
        "whole_instance",
        "organisation",
        "ignored_since",
        "accounts_count",
        "api_url",
    ]
    list_filter = ["kind", "whole_instance", IgnoredFilter]
    search_fields = ["host", "organisation__name"]
    list_select_related = ["organisation"]
    autocomplete_fields = ["organisation"]
    readonly_fields = ["created_at", "updated_at"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).annotate(accounts_count=Count("accounts"))

    @admin.display(description=_("accounts"), ordering="accounts_count")
    def accounts_count(self, forge: Forge) -> int:
        return forge.accounts_count


class AccountActionForm(ActionForm):
    reason = forms.CharField(
        label=_("Reason (to reject)"),
        required=False,
        max_length=500,
        widget=forms.TextInput(attrs={"size": 40}),
    )


@admin.register(Account)
class AccountAdmin(admin.ModelAdmin):
    formfield_overrides = URL_FIELDS_HTTPS
    list_display = [
        "__str__",
        "kind",
        "organisation",
        "state",
        "last_crawled_at",
        "last_crawl_status",
        "repositories_count",
    ]
    list_filter = ["state", "forge__kind", "last_crawl_status", "kind", "forge__whole_instance"]
    search_fields = ["login", "name", "forge__host", "organisation__name", "organisation__acronym"]
    list_select_related = ["forge", "organisation"]
    autocomplete_fields = ["forge", "organisation"]
    raw_id_fields = ["proposed_by"]
    action_form = AccountActionForm
    actions = ["accept_proposals", "reject_proposals", "deactivate", "crawl_now"]
    readonly_fields = [
        "last_crawled_at",
        "last_crawl_status",
        "last_crawl_error",
        "name",
        "description",
        "html_url",
        "website",
        "location",
        "public_email",
        "avatar_url",
        "forge_created_at",
        "followers",
        "repositories_count",
        "created_at",
        "updated_at",
    ]

    def _apply(
        self, request: HttpRequest, queryset: QuerySet, service, done: str, **kwargs
    ) -> None:
        succeeded = 0
        for account in queryset:
            try:
                service(curator=request.user, account=account, **kwargs)
            except ApplicationError as error:
                self.message_user(request, error.message, messages.WARNING)
            else:
                succeeded += 1
        if succeeded:
            self.message_user(request, done.format(count=succeeded), messages.SUCCESS)

    @admin.action(description=_("Accept the selected proposals"))
    def accept_proposals(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._apply(request, queryset, account_accept, "{count} account(s) accepted.")

    @admin.action(description=_("Reject the selected proposals (give a reason)"))
    def reject_proposals(self, request: HttpRequest, queryset: QuerySet) -> None:
        reason = request.POST.get("reason", "").strip()
        if not reason:
            self.message_user(
                request, _("Write the reason for the rejection first."), messages.ERROR
            )
            return
        self._apply(
            request, queryset, account_reject, "{count} proposal(s) rejected.", reason=reason
        )

    @admin.action(description=_("Stop crawling the selected accounts"))
    def deactivate(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._apply(request, queryset, account_deactivate, "{count} account(s) deactivated.")

    @admin.action(description=_("Crawl the selected accounts now"))
    def crawl_now(self, request: HttpRequest, queryset: QuerySet) -> None:
        # Imported here: the tasks module pulls in the crawl pipeline, which listing accounts does
        # not need.
        from inventory.forges.tasks import crawl_all_task

        accounts = list(queryset.filter(state=AccountState.ACTIVE).select_related("forge"))
        selection = [
            f"{account.forge.host}/{account.login}" if account.login else account.forge.host
            for account in accounts
        ]
        if selection:
            # One run for the selection, so its results read together; queued once committed.
            transaction.on_commit(partial(crawl_all_task.delay, logins=selection, trigger="admin"))
            self.message_user(
                request, f"Crawl of {len(selection)} account(s) queued.", messages.SUCCESS
            )
        skipped = queryset.count() - len(accounts)
        if skipped:
            self.message_user(
                request,
                f"{skipped} account(s) skipped: only active accounts are crawled.",
                messages.WARNING,
            )


class _MostUsedFilter(admin.SimpleListFilter):
    """The most used values of a field (a plain field filter would list every distinct value)."""

    field_name = ""
    limit = 30

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        most_used = (
            Repository.objects.exclude(**{self.field_name: ""})
            .values_list(self.field_name, flat=True)
            .annotate(count=Count("pk"))
            .order_by("-count", self.field_name)[: self.limit]
        )
        return [("none", _("None")), *[(value, value) for value in most_used]]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value():
            return queryset.filter(
                **{self.field_name: "" if self.value() == "none" else self.value()}
            )
        return queryset


class LicenseFilter(_MostUsedFilter):
    title = _("license")
    parameter_name = "license"
    field_name = "license_spdx"


class LanguageFilter(_MostUsedFilter):
    title = _("language")
    parameter_name = "language"
    field_name = "language"


@admin.register(Repository)
class RepositoryAdmin(admin.ModelAdmin):
    """Read-mostly: the crawler writes repositories; curators look them up."""

    formfield_overrides = URL_FIELDS_HTTPS
    list_display = [
        "full_name",
        "forge",
        "language",
        "license_spdx",
        "stars",
        "is_fork",
        "is_archived",
        "pushed_at",
        "gone_at",
    ]
    list_filter = [
        "forge__kind",
        "forge",
        LanguageFilter,
        LicenseFilter,
        "is_archived",
        "is_fork",
        GoneFilter,
    ]
    search_fields = ["full_name", "description"]
    list_select_related = ["forge"]
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Repository | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Repository | None = None) -> bool:
        return False


class AccountCrawlInline(admin.TabularInline):
    model = AccountCrawl
    fields = [
        "account",
        "status",
        "attempts",
        "worker",
        "lease_expires_at",
        "requests",
        "not_modified",
        "retries",
        "repositories_seen",
        "repositories_new",
        "repositories_updated",
        "repositories_gone",
        "repositories_revived",
        "duration_seconds",
        "error_kind",
        "error",
    ]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("account__forge")

    def has_add_permission(self, request: HttpRequest, obj: CrawlRun | None = None) -> bool:
        return False


@admin.register(CrawlRun)
class CrawlRunAdmin(admin.ModelAdmin):
    list_display = ["__str__", "status", "trigger", "accounts_total", "failed_count", "finished_at"]
    list_filter = ["status", "trigger"]
    readonly_fields = [
        "started_at",
        "finished_at",
        "status",
        "trigger",
        "selection",
        "accounts_total",
        "dispatched_at",
    ]
    inlines = [AccountCrawlInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return (
            super()
            .get_queryset(request)
            .annotate(failed_count=Count("results", filter=Q(results__status="failed")))
        )

    @admin.display(description=_("failed accounts"), ordering="failed_count")
    def failed_count(self, run: CrawlRun) -> int:
        return run.failed_count

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: CrawlRun | None = None) -> bool:
        return False
