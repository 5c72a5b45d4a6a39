"""Forms of the sign-in and profile pages, rendered with the DSFR."""

from __future__ import annotations

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from inventory.agents.addresses import email_normalise
from inventory.agents.selectors import organisation_exact, organisation_search
from inventory.organisations.models import Organisation

NEW_ORGANISATION = "new"


class _Form(DsfrBaseForm):
    def get_context(self) -> dict:
        # The DSFR now marks optional fields rather than required ones.
        context = forms.Form.get_context(self)
        context["DSFR_MARK_OPTIONAL_FIELDS"] = True
        return context


class SignInForm(_Form):
    email = forms.CharField(
        label=_("Professional e-mail address"),
        help_text=_("Format: name@service.gouv.fr"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean_email(self) -> str:
        email = email_normalise(self.cleaned_data["email"])
        if email is None:
            raise forms.ValidationError(_("Enter a valid e-mail address."))
        return email


class ProfileForm(_Form):
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    about = forms.CharField(
        label=_("About you"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Your role, the teams you work with, what you can help with."),
    )
    contact_public = forms.BooleanField(
        label=_("Show my name and e-mail address to everyone"),
        required=False,
        help_text=_(
            "Off (the default): only signed-in public agents see your name and address on the "
            "software you declared. On: anyone visiting the site sees them, and may write to you."
        ),
    )


class OrganisationChoiceFields:
    """The organisation an agent works for, typed with suggestions; without JavaScript, a name
    that matches no organisation exactly brings a second step to pick one of the nearest or to
    name a new one (created pending for curators).

    After validation, ``organisation_step`` says the agent must still choose among the
    suggestions (the page comes back, nothing is saved); otherwise ``organisation_chosen()`` gives
    ``(organisation, "")`` or ``(None, new name)``.
    """

    def add_organisation_fields(self, *, agent, initial_name: str = "") -> None:
        self.organisation_agent = agent
        self.fields["organisation_name"] = forms.CharField(
            label=_("Your organisation"),
            max_length=200,
            initial=initial_name,
            help_text=_(
                "The public body you work for: its name or acronym (a town hall, a hospital, "
                "a ministry's directorate). If it is not listed, type its full name: curators "
                "will add it."
            ),
            widget=forms.TextInput(
                attrs={
                    "list": "organisation-suggestions",
                    "autocomplete": "off",
                    "data-organisation-suggest": reverse("agents:organisation_suggest"),
                }
            ),
        )
        self.fields["organisation_pick"] = forms.ChoiceField(
            label=_("Which one is yours?"),
            help_text=_("No organisation is named exactly so: choose yours, or add it."),
            required=False,
            choices=[],
            widget=forms.RadioSelect,
        )
        name = self.data.get(self.add_prefix("organisation_name"), "") if self.is_bound else ""
        self.organisation_suggestions = []
        if not self._offer(name):
            del self.fields["organisation_pick"]
            if initial_name:
                self.organisation_suggestions = organisation_search(query=initial_name, agent=agent)

    def _offer(self, name: str) -> bool:
        """Offer the nearest organisations to pick when the typed name is not exactly one."""
        name = " ".join(str(name or "").split())
        if not name or organisation_exact(name=name, agent=self.organisation_agent):
            return False
        self.organisation_suggestions = organisation_search(
            query=name, agent=self.organisation_agent
        )
        new_label = _("None of these: add “%(name)s” as a new organisation") % {"name": name}
        self.fields["organisation_pick"].choices = [
            *[
                (str(organisation.pk), _organisation_label(organisation))
                for organisation in self.organisation_suggestions
            ],
            (NEW_ORGANISATION, new_label),
        ]
        return True

    def clean_organisation_fields(self, cleaned_data: dict) -> None:
        self.organisation_step = False
        name = " ".join(cleaned_data.get("organisation_name", "").split())
        if not name:
            return
        self._organisation = organisation_exact(name=name, agent=self.organisation_agent)
        self._new_name = ""
        if self._organisation is not None:
            return
        pick = cleaned_data.get("organisation_pick", "")
        if pick == NEW_ORGANISATION:
            self._new_name = name
        elif pick:
            self._organisation = next(
                (
                    organisation
                    for organisation in organisation_search(
                        query=name, agent=self.organisation_agent
                    )
                    if str(organisation.pk) == pick
                ),
                None,
            )
            if self._organisation is None:
                self.add_error("organisation_pick", _("Choose one of the organisations listed."))
        else:
            # Not an error: the page comes back with the nearest organisations to choose from
            # (adding the new one is ticked when there is nothing else).
            self.organisation_step = True
            if not self.organisation_suggestions:
                self.data = self.data.copy()
                self.data[self.add_prefix("organisation_pick")] = NEW_ORGANISATION

    def organisation_chosen(self) -> tuple[Organisation | None, str]:
        return self._organisation, self._new_name


def _organisation_label(organisation: Organisation) -> str:
    if organisation.acronym and organisation.acronym.casefold() != organisation.name.casefold():
        return f"{organisation.name} ({organisation.acronym})"
    return organisation.name


class MembershipRequestForm(OrganisationChoiceFields, _Form):
    def __init__(self, *args, agent, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_organisation_fields(agent=agent)

    def clean(self) -> dict:
        cleaned_data = super().clean()
        self.clean_organisation_fields(cleaned_data)
        return cleaned_data
