"""Instances belong to an organisation; its agents and curators maintain them."""

import pytest

from inventory.catalog.models import Instance
from inventory.catalog.services import instance_add, instance_delete, instance_update
from inventory.core.exceptions import ApplicationError, PermissionDenied
from tests.inventory.catalog import factories

pytestmark = pytest.mark.django_db


def test_an_agent_adds_an_instance_for_their_organisation():
    agent = factories.agent_create()
    instance = instance_add(
        agent=agent, software=factories.software_create(), target_audience="Agents",
        public_url="https://visio.numerique.gouv.fr",
    )  # fmt: skip
    assert instance.organisation == agent.organisation
    assert instance.added_by == agent
    assert instance.history.get().history_user == agent


def test_a_colleague_of_the_same_organisation_may_edit_and_delete_it():
    agent = factories.agent_create()
    colleague = factories.agent_create(organisation=agent.organisation)
    instance = instance_add(agent=agent, software=factories.software_create())
    instance_update(actor=colleague, instance=instance, public_url="")
    instance.refresh_from_db()
    assert instance.public_url == ""
    instance_delete(actor=colleague, instance=instance)
    assert not Instance.objects.exists()


def test_an_agent_of_another_organisation_cannot_edit_it():
    instance = instance_add(agent=factories.agent_create(), software=factories.software_create())
    with pytest.raises(PermissionDenied):
        instance_update(actor=factories.agent_create(), instance=instance, target_audience="x")


def test_an_invalid_public_url_is_refused():
    with pytest.raises(ApplicationError, match="public_url"):
        instance_add(
            agent=factories.agent_create(),
            software=factories.software_create(),
            public_url="javascript:alert(1)",
        )
    assert not Instance.objects.exists()


def test_only_the_audience_and_url_can_be_edited():
    agent = factories.agent_create()
    instance = instance_add(agent=agent, software=factories.software_create())
    with pytest.raises(ApplicationError):
        instance_update(
            actor=agent, instance=instance, organisation=factories.organisation_create()
        )
