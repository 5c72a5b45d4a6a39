"""Short forms for agents' flows, rendered with the State design system's field markup."""

from django import forms
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from inventory.agents.forms import OrganisationChoiceFields
from inventory.agents.selectors import organisation_derived
from inventory.catalog.models import Category
from inventory.core.weburls import WebURLFormField
from inventory.organisations.models import Organisation


class WebForm(DsfrBaseForm):
    """DSFR field markup and error states (required fields carry the DSFR's asterisk)."""

    def get_context(self) -> dict:
        # DsfrBaseForm's own get_context only adds a deprecation warning about that asterisk.
        return forms.Form.get_context(self)

    def full_clean(self) -> None:
        super().full_clean()
        # Focus lands on the first field in error when the page comes back (RGAA 11.10).
        first = next((name for name in self.errors if name in self.fields), None)
        if first is not None:
            self.fields[first].widget.attrs["autofocus"] = ""

    @property
    def required_fields_note(self) -> bool:
        """Whether the page must explain the asterisk (RGAA: required fields are announced)."""
        return any(field.required for field in self.fields.values())


class OrganisationField(forms.ModelChoiceField):
    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Organisation.objects.public().order_by("name"))
        kwargs.setdefault("label", _("Organisation"))
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", _("Curators may declare for another organisation."))
        super().__init__(**kwargs)


class OrganisationMixin(OrganisationChoiceFields):
    """Agents declare for their own organisation (no field to fill) and name it within their
    first declaration, pre-filled from their e-mail domain or SIRET; curators may pick another."""

    def __init__(self, *args, agent=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.asks_organisation = False
        if agent is not None and agent.is_staff:
            if agent.organisation_id:
                self.fields["organisation"].initial = agent.organisation_id
            return
        del self.fields["organisation"]
        if agent is not None and agent.organisation_id is None:
            self.asks_organisation = True
            derived, _source = organisation_derived(agent)
            self.add_organisation_fields(agent=agent, initial_name=derived.name if derived else "")
            self.order_fields(["organisation_name", "organisation_pick"])

    def clean(self) -> dict:
        cleaned_data = super().clean()
        if self.asks_organisation:
            self.clean_organisation_fields(cleaned_data)
        return cleaned_data

    def service_data(self) -> dict:
        """The cleaned data the catalog services take (the organisation asked is not theirs)."""
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if name not in {"organisation_name", "organisation_pick"}
        }


class ReferentForm(OrganisationMixin, WebForm):
    organisation = OrganisationField()
    use_case = forms.CharField(
        label=_("What do you use it for?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    is_technical_expert = forms.BooleanField(
        label=_("I can answer technical questions about it"), required=False
    )
    version = forms.CharField(label=_("Version you use"), required=False, max_length=100)
    service_url = WebURLFormField(
        label=_("Address of the service you run, if any"),
        required=False,
    )


class UserForm(OrganisationMixin, WebForm):
    organisation = OrganisationField()
    use_case = forms.CharField(
        label=_("What do you use it for?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    version = forms.CharField(label=_("Version you use"), required=False, max_length=100)
    os = forms.CharField(label=_("Operating system"), required=False, max_length=50)
    service_url = WebURLFormField(
        label=_("Address of the service you run, if any"),
        required=False,
    )


class InstanceEditForm(WebForm):
    public_url = WebURLFormField(
        label=_("Public address"),
        required=False,
        help_text=_("Leave empty for an instance only your organisation can reach."),
    )
    target_audience = forms.CharField(
        label=_("Who can use it?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class InstanceForm(OrganisationMixin, InstanceEditForm):
    organisation = OrganisationField()


class SoftwareForm(WebForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    function = forms.CharField(
        label=_("What it does, in one line"),
        max_length=500,
        help_text=_("For example: word processor, video conferencing."),
    )
    description = forms.CharField(
        label=_("Short description"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    license = forms.CharField(
        label=_("License"),
        max_length=300,
        help_text=_("Its SPDX identifier, for example GPL-3.0-or-later or MIT."),
    )
    homepage_url = WebURLFormField(label=_("Website"), required=False)
    source_url = WebURLFormField(label=_("Source code"), required=False)
    logo_url = WebURLFormField(
        label=_("Logo"),
        required=False,
        help_text=_("Address of an image (PNG, JPEG, SVG…); Logithèque keeps its own copy."),
    )
    types = forms.MultipleChoiceField(
        label=_("Kind of software"),
        required=False,
        choices=[
            ("is_desktop", _("Desktop or mobile")),
            ("is_cloud", _("Web application")),
            ("is_stack", _("Stack or library")),
        ],
        widget=forms.CheckboxSelectMultiple,
    )
    categories = forms.ModelMultipleChoiceField(
        label=_("Categories"),
        required=False,
        queryset=Category.objects.order_by("group", "name"),
        widget=forms.CheckboxSelectMultiple,
    )

    TYPE_FIELDS = ("is_desktop", "is_cloud", "is_stack")

    @classmethod
    def initial_for(cls, software) -> dict:
        initial = {
            name: getattr(software, name)
            for name in cls.base_fields
            if name not in {"types", "categories"}
        }
        initial["types"] = [name for name in cls.TYPE_FIELDS if getattr(software, name)]
        initial["categories"] = list(software.categories.all())
        return initial

    def service_fields(self, *, only_changed: bool = False) -> dict:
        """The cleaned data as the catalog services take it: one boolean per kind of software."""
        names = self.changed_data if only_changed else list(self.cleaned_data)
        fields = {name: self.cleaned_data[name] for name in names if name != "types"}
        if "types" in names:
            fields |= {name: name in self.cleaned_data["types"] for name in self.TYPE_FIELDS}
        return fields


class CommentForm(WebForm):
    body = forms.CharField(
        label=_("Your comment"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Markdown is accepted: *emphasis*, **bold**, [links](https://…), lists."),
    )


class ReportForm(WebForm):
    reason = forms.CharField(
        label=_("Why should curators look at this comment?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
