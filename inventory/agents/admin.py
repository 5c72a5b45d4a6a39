"""Curators' admin for agents and for the e-mail domains allowed to sign in."""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from inventory.agents.models import Agent, EmailDomain, Membership, MembershipStatus
from inventory.agents.services import membership_decide
from inventory.core.exceptions import ApplicationError


class AgentCreationForm(AdminUserCreationForm):
    class Meta:
        model = Agent
        fields = ["email"]


class AgentChangeForm(UserChangeForm):
    class Meta:
        model = Agent
        fields = "__all__"


@admin.register(Agent)
class AgentAdmin(UserAdmin):
    add_form = AgentCreationForm
    form = AgentChangeForm
    ordering = ["email"]
    list_display = [
        "email",
        "first_name",
        "last_name",
        "organisation",
        "contact_public",
        "is_staff",
        "last_login",
    ]
    list_filter = ["is_staff", "is_superuser", "is_active", "contact_public", "organisation"]
    search_fields = ["email", "first_name", "last_name", "organisation__name", "siret"]
    list_select_related = ["organisation"]
    readonly_fields = ["last_login", "date_joined"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (
            _("Profile"),
            {
                "fields": [
                    "first_name",
                    "last_name",
                    "organisation",
                    "siret",
                    "about",
                    "contact_public",
                ]
            },
        ),
        (
            _("Permissions"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {"classes": ["wide"], "fields": ["email", "usable_password", "password1", "password2"]},
        ),
    ]


@admin.register(EmailDomain)
class EmailDomainAdmin(admin.ModelAdmin):
    list_display = ["domain", "source", "active", "organisation", "note", "created_at"]
    list_filter = ["active", "source"]
    search_fields = ["domain", "note", "organisation__name"]
    list_select_related = ["organisation"]
    autocomplete_fields = ["organisation"]
    readonly_fields = ["created_at"]
    actions = ["activate", "deactivate"]

    @admin.action(description=_("Allow sign-in from the selected domains"))
    def activate(self, request, queryset):
        self._set_active(request, queryset, active=True)

    @admin.action(description=_("Refuse sign-in from the selected domains"))
    def deactivate(self, request, queryset):
        self._set_active(request, queryset, active=False)

    def _set_active(self, request, queryset, *, active: bool) -> None:
        count = queryset.update(active=active)
        message = ngettext("%(count)d domain updated.", "%(count)d domains updated.", count) % {
            "count": count
        }
        self.message_user(request, message, messages.SUCCESS)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    """Curators approve or refuse agents' requests to join organisations."""

    list_display = ["agent", "organisation", "status", "source", "decided_by", "created_at"]
    list_filter = ["status", "source", "organisation__status"]
    search_fields = ["agent__email", "agent__last_name", "organisation__name"]
    list_select_related = ["agent", "organisation", "decided_by"]
    autocomplete_fields = ["agent", "organisation"]
    readonly_fields = ["status", "source", "decided_by", "created_at", "decided_at"]
    actions = ["approve", "refuse"]

    # Curators are staff agents, without per-model permissions (as in the catalog's admin).
    # Decisions go through the actions, which record who took them and when: no edit form.
    def has_module_permission(self, request) -> bool:
        return bool(request.user.is_active and request.user.is_staff)

    def has_view_permission(self, request, obj=None) -> bool:
        return self.has_module_permission(request)

    def has_delete_permission(self, request, obj=None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description=_("Approve the selected memberships"))
    def approve(self, request, queryset):
        self._decide(request, queryset, approve=True)

    @admin.action(description=_("Refuse the selected memberships"))
    def refuse(self, request, queryset):
        self._decide(request, queryset, approve=False)

    def _decide(self, request, queryset, *, approve: bool) -> None:
        target = MembershipStatus.APPROVED if approve else MembershipStatus.REFUSED
        count = 0
        for membership in queryset.exclude(status=target):
            try:
                membership_decide(actor=request.user, membership=membership, approve=approve)
            except ApplicationError as error:
                self.message_user(request, f"{membership}: {error.message}", messages.ERROR)
            else:
                count += 1
        message = ngettext(
            "%(count)d membership updated.", "%(count)d memberships updated.", count
        ) % {"count": count}
        self.message_user(request, message, messages.SUCCESS)
