"""Query-string filters of the API lists: django-filter validates and documents them, the
selectors apply them (``filters.cleaned`` is what a selector takes)."""

from __future__ import annotations

from typing import Any

import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework.exceptions import ValidationError

from inventory.catalog.models import SoftwareStatus
from inventory.catalog.search.engine import search_query_is_valid
from inventory.catalog.selectors import LISTED_STATUSES, OPERATING_SYSTEMS, SOFTWARE_TYPES
from inventory.forges.models import AccountKind, CrawlStatus

BOOLEAN_CHOICES = [("true", "true"), ("false", "false")]


@extend_schema_field(OpenApiTypes.BOOL)
class StrictBooleanFilter(django_filters.TypedChoiceFilter):
    """true or false, anything else is a 400 (django-filter's BooleanFilter accepts more)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("choices", BOOLEAN_CHOICES)
        kwargs.setdefault("coerce", lambda value: value == "true")
        super().__init__(*args, **kwargs)


class SelectorFilterSet(django_filters.FilterSet):
    """A FilterSet used only to parse and document parameters; querying is the selector's job."""

    def filter_queryset(self, queryset):
        return queryset

    @classmethod
    def _parsing_form(cls) -> type:
        """The form of the filters' fields, built once per class: a FilterSet instance deep-copies
        every filter and builds a new form class, which cost more than the rest of an API read."""
        form_class = cls.__dict__.get("_parsing_form_class")
        if form_class is None:
            fields = {name: filter_.field for name, filter_ in cls.base_filters.items()}
            form_class = type(f"{cls.__name__}Form", (cls._meta.form,), fields)
            cls._parsing_form_class = form_class
        return form_class

    @classmethod
    def parse(cls, data) -> dict[str, Any]:
        """The query string's values, or a 400 naming each invalid parameter."""
        # An empty value is no date, boolean or choice: refused, as the schema says (only
        # text filters take "", meaning no filter).
        empty = [
            name
            for name, field in cls.base_filters.items()
            if not isinstance(field, django_filters.CharFilter) and data.get(name) == ""
        ]
        if empty:
            raise ValidationError({name: ["This parameter cannot be empty."] for name in empty})
        if not any(name in data for name in cls.base_filters):
            return {}  # nothing to parse (a whole list, a cursor's next page)
        form = cls._parsing_form()(data)
        if not form.is_valid():
            raise ValidationError(
                {
                    name: [str(message) for message in messages]
                    for name, messages in form.errors.items()
                }
            )
        return {key: value for key, value in form.cleaned_data.items() if value not in (None, "")}

    @property
    def cleaned(self) -> dict[str, Any]:
        return self.parse(self.data)


def _text(help_text: str, **kwargs) -> django_filters.CharFilter:
    return django_filters.CharFilter(max_length=200, help_text=help_text, **kwargs)


class RepositoryFilter(SelectorFilterSet):
    organisation = _text("Organisation slug (its accounts' repositories and its instances').")
    ministry = _text("Ministry slug: repositories of every organisation under it.")
    forge = _text("Forge host, e.g. github.com.")
    language = _text("Main language, e.g. Python (case-insensitive).")
    license = _text("SPDX identifier, e.g. MIT (case-insensitive).")
    topic = _text("A topic the repository carries (lower case).")
    archived = StrictBooleanFilter(help_text="Only archived (true) or only active (false).")
    fork = StrictBooleanFilter(help_text="Only forks (true) or only non-forks (false).")
    gone = StrictBooleanFilter(
        help_text="true: only repositories no longer found on their forge (left out by default)."
    )
    updated_since = django_filters.IsoDateTimeFilter(
        help_text="ISO 8601 date-time, e.g. 2024-01-31T00:00:00Z: updated or pushed since then."
    )
    q = _text("Words to find in the name, description or topics.")


class AccountFilter(SelectorFilterSet):
    forge = _text("Forge host, e.g. github.com.")
    organisation = _text("Organisation slug.")
    kind = django_filters.ChoiceFilter(choices=AccountKind.choices, help_text="Account kind.")


class OrganisationFilter(SelectorFilterSet):
    ministry = _text("Ministry slug: organisations under it.")
    is_top = StrictBooleanFilter(help_text="Only ministries and other top organisations.")


class CrawlRunFilter(SelectorFilterSet):
    status = django_filters.ChoiceFilter(choices=CrawlStatus.choices, help_text="Run status.")


def _searchable(value: str) -> None:
    if value and not search_query_is_valid(value):
        raise DjangoValidationError("Type at least one letter or digit to search.")


class SoftwareFilter(SelectorFilterSet):
    q = _text(
        'A need or a name, in French or English ("traitement de texte", "visio"): '
        "entries answering every word first, typos and synonyms of needs tolerated. "
        "At least one letter or digit.",
        validators=[_searchable],
    )
    status = django_filters.ChoiceFilter(
        choices=[(status, SoftwareStatus(status).label) for status in LISTED_STATUSES],
        help_text="Catalog status.",
    )
    type = django_filters.ChoiceFilter(
        choices=[(value, value) for value in SOFTWARE_TYPES], help_text="Software type."
    )
    os = django_filters.ChoiceFilter(
        choices=[(value, value) for value in OPERATING_SYSTEMS],
        help_text="Operating system (desktop software).",
    )
    category = _text("Category slug.")
    organisation = _text("Slug of an organisation with a referent of the software.")
    license = _text("License (SPDX expression as listed).")
    sort = django_filters.ChoiceFilter(
        choices=[(value, value) for value in ("relevance", "referents", "recent", "name")],
        help_text="Order: relevance (with q), referents (default), recent, name.",
    )
