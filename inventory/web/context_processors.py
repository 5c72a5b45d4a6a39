"""Context processors of the web interface, as cheap as a page that does not use them."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject
from dsfr.context_processors import site_config as dsfr_site_config


def site_config(request: HttpRequest) -> dict:
    """django-dsfr's SITE_CONFIG (its DsfrConfig row in the page's language, else the first),
    read only when a template uses it: django-dsfr's own processor runs two queries on every
    page, and our templates, which do not extend django-dsfr's base, never read it."""
    return {"SITE_CONFIG": SimpleLazyObject(lambda: dsfr_site_config(request)["SITE_CONFIG"])}
