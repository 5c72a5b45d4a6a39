"""The observation → recommended → end of recommendation workflow and its rules."""

import pytest

from inventory.catalog.models import SoftwareStatus
from inventory.catalog.services import (
    software_accept,
    software_dereference,
    software_propose,
    software_recommend,
)
from inventory.core.exceptions import ApplicationError
from tests.inventory.catalog import factories

pytestmark = pytest.mark.django_db


def test_an_accepted_proposal_enters_observation_this_year():
    proposal = software_propose(agent=factories.agent_create(), name="Nouveau", license="MIT")
    curator = factories.curator_create()
    software = software_accept(curator=curator, software=proposal)
    assert software.status == SoftwareStatus.OBSERVATION
    assert software.referenced_since is not None
    assert software.catalog_years == [software.referenced_since.year]
    assert software.history.first().history_user == curator


def test_a_proposal_cannot_be_accepted_straight_into_recommendation_without_a_referent():
    proposal = software_propose(agent=factories.agent_create(), name="Nouveau", license="MIT")
    with pytest.raises(ApplicationError, match="referent"):
        software_accept(curator=factories.curator_create(), software=proposal, status="recommended")
    proposal.refresh_from_db()
    assert proposal.status == SoftwareStatus.PROPOSED


def test_recommending_needs_a_referent_a_user_is_not_enough():
    software = factories.software_create()
    factories.user_create(software=software)
    with pytest.raises(ApplicationError, match="at least one referent"):
        software_recommend(curator=factories.curator_create(), software=software)
    software.refresh_from_db()
    assert software.status == SoftwareStatus.OBSERVATION


def test_recommending_with_a_referent_succeeds():
    software = factories.software_create()
    factories.referent_create(software=software)
    software = software_recommend(curator=factories.curator_create(), software=software)
    assert software.status == SoftwareStatus.RECOMMENDED


def test_an_imported_entry_with_a_non_free_license_cannot_be_recommended():
    software = factories.software_create(license="", license_raw="CPA", license_needs_review=True)
    factories.referent_create(software=software)
    with pytest.raises(ApplicationError, match="free license"):
        software_recommend(curator=factories.curator_create(), software=software)


def test_dereferencing_keeps_the_reason_date_and_last_recommended_version():
    software = factories.software_create(status=SoftwareStatus.RECOMMENDED, version_min="6.4")
    software = software_dereference(
        curator=factories.curator_create(), software=software, reason="Plus maintenu"
    )
    assert software.status == SoftwareStatus.DEREFERENCED
    assert software.dereferencing_reason == "Plus maintenu"
    assert software.dereferenced_at is not None
    assert software.last_recommended_version == "6.4"


def test_dereferencing_without_a_reason_is_refused():
    software = factories.software_create(status=SoftwareStatus.RECOMMENDED)
    with pytest.raises(ApplicationError, match="why"):
        software_dereference(curator=factories.curator_create(), software=software, reason="  ")
    software.refresh_from_db()
    assert software.status == SoftwareStatus.RECOMMENDED
