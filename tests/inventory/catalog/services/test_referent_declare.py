"""Referent and user declarations, and curators told when the last referent leaves."""

import pytest

from inventory.catalog.models import ReferentDeclaration, SoftwareStatus, UserDeclaration
from inventory.catalog.services import (
    referent_declare,
    referent_withdraw,
    user_declare,
    user_withdraw,
)
from inventory.core.exceptions import ApplicationError
from tests.inventory.catalog import factories

pytestmark = pytest.mark.django_db


def test_a_declaration_defaults_to_the_agents_organisation_and_is_updated_not_duplicated():
    agent = factories.agent_create()
    software = factories.software_create()
    referent_declare(agent=agent, software=software, use_case="Poste de travail")
    declaration = referent_declare(
        agent=agent, software=software, use_case="Serveurs", is_technical_expert=True
    )
    assert ReferentDeclaration.objects.count() == 1
    assert declaration.organisation == agent.organisation
    assert declaration.use_case == "Serveurs"
    assert declaration.is_technical_expert
    assert declaration.history.first().history_user == agent


def test_an_agent_without_an_organisation_is_asked_to_set_one():
    agent = factories.agent_create()
    agent.organisation = None
    agent.save()
    with pytest.raises(ApplicationError, match="organisation"):
        user_declare(agent=agent, software=factories.software_create())
    assert not UserDeclaration.objects.exists()


def test_a_declaration_with_an_invalid_service_url_is_refused():
    with pytest.raises(ApplicationError, match="service_url"):
        referent_declare(
            agent=factories.agent_create(),
            software=factories.software_create(),
            service_url="pas une url",
        )
    assert not ReferentDeclaration.objects.exists()


def test_the_last_referent_leaving_a_recommended_software_flags_it_and_mails_curators(
    mailoutbox, django_capture_on_commit_callbacks
):
    curator = factories.curator_create(email="curateur@numerique.gouv.fr")
    factories.curator_create(email="parti@numerique.gouv.fr", is_active=False)
    software = factories.software_create(name="GLPI", status=SoftwareStatus.RECOMMENDED)
    agent = factories.agent_create()
    referent_declare(agent=agent, software=software)
    with django_capture_on_commit_callbacks(execute=True):
        referent_withdraw(agent=agent, software=software)
    software.refresh_from_db()
    assert software.needs_referent
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [curator.email]
    assert "GLPI" in mailoutbox[0].subject
    assert f"/admin/catalog/software/{software.pk}/change/" in mailoutbox[0].body


def test_curators_are_not_mailed_while_another_referent_remains(
    mailoutbox, django_capture_on_commit_callbacks
):
    factories.curator_create()
    software = factories.software_create(status=SoftwareStatus.RECOMMENDED)
    factories.referent_create(software=software)
    agent = factories.agent_create()
    referent_declare(agent=agent, software=software)
    with django_capture_on_commit_callbacks(execute=True):
        referent_withdraw(agent=agent, software=software)
    software.refresh_from_db()
    assert not software.needs_referent
    assert mailoutbox == []


def test_the_last_referent_leaving_software_in_observation_alerts_nobody(
    mailoutbox, django_capture_on_commit_callbacks
):
    factories.curator_create()
    software = factories.software_create(status=SoftwareStatus.OBSERVATION)
    agent = factories.agent_create()
    referent_declare(agent=agent, software=software)
    with django_capture_on_commit_callbacks(execute=True):
        referent_withdraw(agent=agent, software=software)
    assert mailoutbox == []


def test_a_new_referent_clears_the_missing_referent_flag():
    software = factories.software_create(status=SoftwareStatus.RECOMMENDED, needs_referent=True)
    referent_declare(agent=factories.agent_create(), software=software)
    software.refresh_from_db()
    assert not software.needs_referent


def test_withdrawing_is_recorded_in_the_history_with_the_agent():
    agent = factories.agent_create()
    software = factories.software_create()
    user_declare(agent=agent, software=software, os="linux")
    user_withdraw(agent=agent, software=software)
    assert not UserDeclaration.objects.exists()
    deletion = UserDeclaration.history.filter(history_type="-").get()
    assert deletion.history_user == agent
    assert deletion.os == "linux"
