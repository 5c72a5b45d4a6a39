"""Curators' admin for agents and for the e-mail domains allowed to sign in."""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from inventory.agents.models import Agent, EmailDomain


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
    list_display = ["domain", "source", "active", "note", "created_at"]
    list_filter = ["active", "source"]
    search_fields = ["domain", "note"]
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
