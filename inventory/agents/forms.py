"""Forms of the sign-in and profile pages, rendered with the DSFR."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from inventory.agents.addresses import email_normalise
from inventory.agents.selectors import organisation_choices


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
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=organisation_choices(),
        required=False,
        help_text=_("The public body you work for."),
    )
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
