"""The curators' admin: every catalog model, moderation actions through the services, history,
and the CSV export of declarations (with agents' e-mails: staff only)."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from inventory.catalog import services
from inventory.catalog.models import (
    Category,
    Comment,
    CommentReport,
    Instance,
    ReferentDeclaration,
    SearchSynonym,
    Software,
    SoftwareStatus,
    UserDeclaration,
)
from inventory.catalog.services.search_documents import software_search_documents_refresh
from inventory.core.csv_writer import csv_writer
from inventory.core.exceptions import ApplicationError


class CuratorAccessMixin:
    """Curators are staff agents: they manage the whole catalog without per-model permissions."""

    def _is_curator(self, request: HttpRequest) -> bool:
        return bool(request.user.is_active and request.user.is_staff)

    def has_module_permission(self, request):
        return self._is_curator(request)

    def has_view_permission(self, request, obj=None):
        return self._is_curator(request)

    def has_add_permission(self, request, *args):
        return self._is_curator(request)

    def has_change_permission(self, request, obj=None):
        return self._is_curator(request)

    def has_delete_permission(self, request, obj=None):
        return self._is_curator(request)


def run_service(
    modeladmin: admin.ModelAdmin,
    request: HttpRequest,
    objects: Iterable,
    call: Callable[[object], object],
    done: str,
) -> None:
    """Call a service for each object; report successes and each refusal with its reason."""
    succeeded = 0
    for obj in objects:
        try:
            call(obj)
        except ApplicationError as error:
            modeladmin.message_user(request, f"{obj}: {error.message}", messages.ERROR)
        else:
            succeeded += 1
    if succeeded:
        modeladmin.message_user(request, done.format(count=succeeded), messages.SUCCESS)


def intermediate_form(
    modeladmin: admin.ModelAdmin,
    request: HttpRequest,
    queryset: QuerySet,
    *,
    form_class: type[forms.Form],
    action: str,
    title: str,
    form_kwargs: dict | None = None,
):
    """The bound form when the curator confirmed the intermediate page, else the page to show."""
    form_kwargs = form_kwargs or {}
    if "apply" in request.POST:
        form = form_class(request.POST, **form_kwargs)
        if form.is_valid():
            return form
    else:
        form = form_class(**form_kwargs)
    return TemplateResponse(
        request,
        "admin/catalog/action_form.html",
        {
            **modeladmin.admin_site.each_context(request),
            "title": title,
            "form": form,
            "objects": queryset,
            "action": action,
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
            "opts": modeladmin.model._meta,
        },
    )


class DereferenceForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))
    last_recommended_version = forms.CharField(
        label=_("Last recommended version"), required=False, max_length=100
    )


class MergeForm(forms.Form):
    target = forms.ModelChoiceField(
        label=_("Merge the selected entries into"), queryset=Software.objects.none()
    )

    def __init__(self, *args, sources: QuerySet, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = Software.objects.exclude(pk__in=sources)


class HideForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)


DECLARATION_COLUMNS = (
    "kind", "software", "sill_id", "agent_email", "agent_name", "organisation", "use_case",
    "version", "technical_expert", "os", "service_url", "declared_at",
)  # fmt: skip


def declarations_csv(referents: QuerySet, users: QuerySet) -> HttpResponse:
    """Referent and user declarations with the agents' e-mails, for curators."""
    stamp = timezone.now().strftime("%Y%m%d-%H%M")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="sill-declarations-{stamp}.csv"'
    writer = csv_writer(response)
    writer.writerow(DECLARATION_COLUMNS)
    related = ("agent", "software", "organisation")
    for kind, declarations in (("referent", referents), ("user", users)):
        for declaration in declarations.select_related(*related).order_by("software__name", "pk"):
            writer.writerow(
                [
                    kind,
                    declaration.software.name,
                    declaration.software.sill_id or "",
                    declaration.agent.email,
                    declaration.agent.get_full_name(),
                    declaration.organisation.name,
                    declaration.use_case,
                    declaration.version,
                    "yes" if getattr(declaration, "is_technical_expert", False) else "",
                    getattr(declaration, "os", ""),
                    declaration.service_url,
                    declaration.created_at.isoformat(),
                ]
            )
    return response


@admin.register(Category)
class CategoryAdmin(CuratorAccessMixin, admin.ModelAdmin):
    list_display = ("name", "group", "slug", "software_count")
    list_filter = ("group",)
    search_fields = ("name", "description")
    prepopulated_fields = {"slug": ("name",)}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(software_total=Count("software"))

    @admin.display(description=_("software"), ordering="software_total")
    def software_count(self, category):
        return category.software_total

    # Category names are searched: the entries' search documents follow a rename or a deletion.
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change:
            software_search_documents_refresh(
                software_ids=obj.software.values_list("pk", flat=True)
            )

    def delete_model(self, request, obj):
        software_ids = list(obj.software.values_list("pk", flat=True))
        super().delete_model(request, obj)
        software_search_documents_refresh(software_ids=software_ids)

    def delete_queryset(self, request, queryset):
        software_ids = list(
            Software.objects.filter(categories__in=queryset).values_list("pk", flat=True)
        )
        super().delete_queryset(request, queryset)
        software_search_documents_refresh(software_ids=software_ids)


@admin.register(SearchSynonym)
class SearchSynonymAdmin(CuratorAccessMixin, admin.ModelAdmin):
    """The needs vocabulary of the catalog search: changes apply to the next search."""

    list_display = ("terms", "related", "updated_at")
    search_fields = ("terms", "related")


class ReferentInline(admin.TabularInline):
    model = ReferentDeclaration
    extra = 0
    autocomplete_fields = ("agent", "organisation")
    fields = ("agent", "organisation", "use_case", "is_technical_expert", "version", "service_url")


class UserInline(admin.TabularInline):
    model = UserDeclaration
    extra = 0
    autocomplete_fields = ("agent", "organisation")
    fields = ("agent", "organisation", "use_case", "version", "os", "service_url")


class InstanceInline(admin.TabularInline):
    model = Instance
    extra = 0
    autocomplete_fields = ("organisation",)
    fields = ("organisation", "target_audience", "public_url")


@admin.register(Software)
class SoftwareAdmin(CuratorAccessMixin, SimpleHistoryAdmin):
    list_display = (
        "name", "status", "workgroup", "license", "referent_count", "user_count",
        "license_needs_review", "needs_referent", "sill_id",
    )  # fmt: skip
    list_filter = (
        "status", "workgroup", "categories", "license_needs_review", "needs_referent",
        "is_in_support_contract", "is_from_french_public_service", "respects_rgaa",
        "is_desktop", "is_cloud", "is_stack",
    )  # fmt: skip
    search_fields = ("name", "function", "description", "license", "license_raw", "=sill_id")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("parent", "similar", "repository", "added_by")
    filter_horizontal = ("categories",)
    readonly_fields = ("created_at", "updated_at", "license_problem", "source_records")
    inlines = (ReferentInline, UserInline, InstanceInline)
    actions = (
        "accept_into_observation", "accept_into_recommendation", "recommend", "dereference",
        "merge", "export_declarations_csv",
    )  # fmt: skip

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                referent_total=Count("referents", distinct=True),
                user_total=Count("users", distinct=True),
            )
        )

    def save_related(self, request, form, formsets, change):
        # Categories are saved here, after the entry: its search document is rebuilt last.
        super().save_related(request, form, formsets, change)
        software_search_documents_refresh(software_ids=[form.instance.pk])

    @admin.display(description=_("referents"), ordering="referent_total")
    def referent_count(self, software):
        return software.referent_total

    @admin.display(description=_("users"), ordering="user_total")
    def user_count(self, software):
        return software.user_total

    def _accept(self, request, queryset, status):
        run_service(
            self, request, queryset,
            lambda software: services.software_accept(curator=request.user, software=software, status=status),
            "{count} proposal(s) accepted.",
        )  # fmt: skip

    @admin.action(description=_("Accept the proposals into observation"))
    def accept_into_observation(self, request, queryset):
        self._accept(request, queryset, SoftwareStatus.OBSERVATION)

    @admin.action(description=_("Accept the proposals into recommendation"))
    def accept_into_recommendation(self, request, queryset):
        self._accept(request, queryset, SoftwareStatus.RECOMMENDED)

    @admin.action(description=_("Recommend (needs a referent)"))
    def recommend(self, request, queryset):
        run_service(
            self, request, queryset,
            lambda software: services.software_recommend(curator=request.user, software=software),
            "{count} software recommended.",
        )  # fmt: skip

    @admin.action(description=_("End the recommendation…"))
    def dereference(self, request, queryset):
        form = intermediate_form(
            self, request, queryset, form_class=DereferenceForm, action="dereference",
            title=_("End the recommendation"),
        )  # fmt: skip
        if isinstance(form, TemplateResponse):
            return form
        run_service(
            self, request, queryset,
            lambda software: services.software_dereference(
                curator=request.user, software=software, reason=form.cleaned_data["reason"],
                last_recommended_version=form.cleaned_data["last_recommended_version"],
            ),
            "{count} recommendation(s) ended.",
        )  # fmt: skip
        return None

    @admin.action(description=_("Merge into another entry…"))
    def merge(self, request, queryset):
        form = intermediate_form(
            self, request, queryset, form_class=MergeForm, action="merge",
            title=_("Merge duplicate entries"), form_kwargs={"sources": queryset},
        )  # fmt: skip
        if isinstance(form, TemplateResponse):
            return form
        target = form.cleaned_data["target"]
        run_service(
            self, request, list(queryset),
            lambda source: services.software_merge(curator=request.user, source=source, target=target),
            f"{{count}} entr(ies) merged into {target}.",
        )  # fmt: skip
        return None

    @admin.action(description=_("Export their declarations (CSV, with e-mails)"))
    def export_declarations_csv(self, request, queryset):
        return declarations_csv(
            ReferentDeclaration.objects.filter(software__in=queryset),
            UserDeclaration.objects.filter(software__in=queryset),
        )


class DeclarationAdmin(CuratorAccessMixin, SimpleHistoryAdmin):
    search_fields = ("agent__email", "agent__last_name", "software__name", "organisation__name")
    autocomplete_fields = ("agent", "software", "organisation")
    list_select_related = ("agent", "software", "organisation")
    actions = ("export_csv",)

    @admin.action(description=_("Export the selected declarations (CSV, with e-mails)"))
    def export_csv(self, request, queryset):
        if self.model is ReferentDeclaration:
            return declarations_csv(queryset, UserDeclaration.objects.none())
        return declarations_csv(ReferentDeclaration.objects.none(), queryset)


@admin.register(ReferentDeclaration)
class ReferentDeclarationAdmin(DeclarationAdmin):
    list_display = (
        "software",
        "agent",
        "organisation",
        "is_technical_expert",
        "version",
        "created_at",
    )
    list_filter = ("is_technical_expert", "software__status", "software__workgroup", "organisation")


@admin.register(UserDeclaration)
class UserDeclarationAdmin(DeclarationAdmin):
    list_display = ("software", "agent", "organisation", "os", "version", "created_at")
    list_filter = ("os", "software__status", "software__workgroup", "organisation")


@admin.register(Instance)
class InstanceAdmin(CuratorAccessMixin, SimpleHistoryAdmin):
    list_display = ("software", "organisation", "target_audience", "public_url", "added_by")
    list_filter = ("software__status", "organisation")
    search_fields = ("software__name", "organisation__name", "target_audience", "public_url")
    autocomplete_fields = ("software", "organisation", "added_by")
    list_select_related = ("software", "organisation", "added_by")


class OpenReportsFilter(admin.SimpleListFilter):
    title = _("open reports")
    parameter_name = "reported"

    def lookups(self, request, model_admin):
        return (("yes", _("with open reports")), ("no", _("without")))

    def queryset(self, request, queryset):
        open_reports = Q(reports__resolved=False)
        if self.value() == "yes":
            return queryset.filter(open_reports).distinct()
        if self.value() == "no":
            return queryset.exclude(open_reports)
        return queryset


class CommentReportInline(admin.TabularInline):
    model = CommentReport
    extra = 0
    fields = ("reporter", "reason", "resolved", "created_at")
    readonly_fields = ("reporter", "reason", "created_at")


def _hide_comments(modeladmin, request, queryset, comments: Iterable[Comment], action: str):
    form = intermediate_form(
        modeladmin, request, queryset, form_class=HideForm, action=action,
        title=_("Hide comments"),
    )  # fmt: skip
    if isinstance(form, TemplateResponse):
        return form
    run_service(
        modeladmin, request, comments,
        lambda comment: services.comment_hide(
            curator=request.user, comment=comment, reason=form.cleaned_data["reason"]
        ),
        "{count} comment(s) hidden.",
    )  # fmt: skip
    return None


@admin.register(Comment)
class CommentAdmin(CuratorAccessMixin, admin.ModelAdmin):
    list_display = ("software", "author", "created_at", "edited", "is_hidden", "open_report_count")
    list_filter = ("is_hidden", "edited", OpenReportsFilter)
    search_fields = ("body", "author__email", "software__name")
    readonly_fields = (
        "software",
        "author",
        "body",
        "body_html",
        "edited",
        "created_at",
        "updated_at",
    )
    fields = (*readonly_fields, "is_hidden", "hidden_reason")
    list_select_related = ("software", "author")
    inlines = (CommentReportInline,)
    actions = ("hide", "unhide")

    def has_add_permission(self, request, *args):
        return False

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(open_reports=Count("reports", filter=Q(reports__resolved=False)))
        )

    @admin.display(description=_("open reports"), ordering="open_reports")
    def open_report_count(self, comment):
        return comment.open_reports

    @admin.action(description=_("Hide…"))
    def hide(self, request, queryset):
        return _hide_comments(self, request, queryset, list(queryset), "hide")

    @admin.action(description=_("Show again"))
    def unhide(self, request, queryset):
        run_service(
            self, request, queryset,
            lambda comment: services.comment_unhide(curator=request.user, comment=comment),
            "{count} comment(s) shown again.",
        )  # fmt: skip


@admin.register(CommentReport)
class CommentReportAdmin(CuratorAccessMixin, admin.ModelAdmin):
    list_display = ("comment", "reporter", "reason", "resolved", "created_at")
    list_filter = ("resolved",)
    search_fields = ("reason", "comment__body", "reporter__email")
    list_select_related = ("comment__software", "comment__author", "reporter")
    readonly_fields = ("comment", "reporter", "reason", "created_at")
    actions = ("resolve", "hide_comments")

    def has_add_permission(self, request, *args):
        return False

    @admin.action(description=_("Resolve (the comment is fine)"))
    def resolve(self, request, queryset):
        count = services.comment_reports_resolve(curator=request.user, reports=queryset)
        self.message_user(request, f"{count} report(s) resolved.", messages.SUCCESS)

    @admin.action(description=_("Hide the reported comments…"))
    def hide_comments(self, request, queryset):
        comments = Comment.objects.filter(reports__in=queryset).distinct()
        return _hide_comments(self, request, queryset, comments, "hide_comments")
