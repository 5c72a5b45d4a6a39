"""The http(s)-only URL rule (``crawlers.normalize.web_url``) as a Django validator and as the
form and API fields every URL an agent types goes through."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from crawlers.normalize import MAX_URL_LENGTH, web_url

WEB_URL_MESSAGE = _("Enter a web address starting with http:// or https://.")
# What the OpenAPI schema says of such a field: a host name of at most 200 characters with a
# top-level domain, an optional port, then printable ASCII. Narrower than what is accepted, so
# that every address the schema allows is one the API takes (schemathesis checks it).
_LABEL = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,30}[A-Za-z0-9])?"
WEB_URL_SCHEMA = {
    "type": "string",
    "format": "uri",
    "pattern": f"^https?://(?:{_LABEL}\\.){{1,4}}[A-Za-z]{{2,63}}(?::[0-9]{{1,4}})?(?:[/?#][!-~]*)?$",
    "maxLength": MAX_URL_LENGTH,
}


def validate_web_url(value: str) -> None:
    """Refuse anything but an absolute http(s) URL with a host (empty is left to ``blank``)."""
    if value and web_url(value) != value.strip():
        raise ValidationError(WEB_URL_MESSAGE, code="invalid")


class WebURLFormField(forms.URLField):
    """A form's URL field that takes only http(s) addresses (``https://`` assumed when omitted)."""

    default_validators = [*forms.URLField.default_validators, validate_web_url]

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("assume_scheme", "https")
        kwargs.setdefault("max_length", MAX_URL_LENGTH)
        super().__init__(**kwargs)


@extend_schema_field(WEB_URL_SCHEMA)
class WebURLSerializerField(serializers.URLField):
    """An API input URL that takes only http(s) addresses."""

    default_error_messages = {"invalid": WEB_URL_MESSAGE}

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("max_length", MAX_URL_LENGTH)
        super().__init__(**kwargs)
        self.validators.append(validate_web_url)
