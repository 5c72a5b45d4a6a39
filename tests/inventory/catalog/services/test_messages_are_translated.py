"""Errors raised by the catalog services reach French visitors in French."""

import pytest
from django.utils import translation

from inventory.catalog.services import software_propose
from inventory.core.exceptions import ApplicationError
from tests.inventory.catalog import factories

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"


def test_a_duplicate_proposal_is_refused_in_french_for_a_french_visitor():
    factories.software_create(name="LibreOffice", slug="libreoffice")
    with translation.override("fr"), pytest.raises(ApplicationError) as caught:
        software_propose(agent=factories.agent_create(), name="libreoffice", license="MPL-2.0")
    assert caught.value.message == f"«{NBSP}LibreOffice{NBSP}» est déjà au catalogue."


def test_a_duplicate_proposal_is_refused_in_english_for_an_english_visitor():
    factories.software_create(name="LibreOffice", slug="libreoffice")
    with translation.override("en"), pytest.raises(ApplicationError) as caught:
        software_propose(agent=factories.agent_create(), name="libreoffice", license="MPL-2.0")
    assert caught.value.message == "« LibreOffice » is already in the catalog."
