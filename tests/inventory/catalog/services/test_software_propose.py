"""Proposals: free license required, duplicates refused with a pointer, history records the agent."""

import pytest

from inventory.catalog.models import Software, SoftwareStatus
from inventory.catalog.services import software_propose, software_update
from inventory.core.exceptions import ApplicationError, PermissionDenied
from tests.inventory.catalog import factories

pytestmark = pytest.mark.django_db


def test_a_proposal_waits_for_curators_and_remembers_who_added_it():
    agent = factories.agent_create()
    software = software_propose(
        agent=agent, name="Démarches Simplifiées", license="agpl-3.0-or-later",
        source_url="https://github.com/demarches-simplifiees/demarches-simplifiees.fr",
    )  # fmt: skip
    assert software.status == SoftwareStatus.PROPOSED
    assert software.added_by == agent
    assert software.license == "AGPL-3.0-or-later"
    assert software.slug == "demarches-simplifiees"
    assert software.history.get().history_user == agent


@pytest.mark.parametrize("license", ["", "Proprietary", "CC-BY-NC-4.0", "MIT, GPL"])
def test_a_proposal_without_a_free_spdx_license_is_refused(license):
    with pytest.raises(ApplicationError, match="free license"):
        software_propose(agent=factories.agent_create(), name="Closed", license=license)
    assert not Software.objects.exists()


@pytest.mark.parametrize(
    "name", ["LIBREOFFICE", "Libre Office", "libreoffice ", "LíbreOffice", "Libre-Office!", "L.O"]
)
def test_a_proposal_with_the_same_name_points_to_the_existing_entry(name):
    factories.software_create(name="LibreOffice", slug="libreoffice")
    if name == "L.O":
        factories.software_create(name="LO", slug="lo")
    with pytest.raises(ApplicationError) as caught:
        software_propose(agent=factories.agent_create(), name=name, license="MPL-2.0")
    assert caught.value.extra["reason"] == "same_name"
    if name == "L.O":
        assert caught.value.extra["existing_slug"] == "lo"
        return
    assert caught.value.extra["existing_slug"] == "libreoffice"
    assert caught.value.extra["existing_url"] == "/logiciels/libreoffice/"
    assert Software.objects.count() == 1


@pytest.mark.parametrize(
    "url",
    [
        "https://github.com/etalab/udata",
        "http://www.github.com/Etalab/udata/",
        "https://github.com/etalab/udata.git",
    ],
)
def test_a_proposal_with_the_same_source_repository_is_refused(url):
    factories.software_create(
        name="udata", slug="udata", source_url="https://github.com/etalab/udata"
    )
    with pytest.raises(ApplicationError, match="same source repository") as caught:
        software_propose(
            agent=factories.agent_create(), name="uData fork", license="AGPL-3.0", source_url=url
        )
    assert caught.value.extra["existing_slug"] == "udata"


def test_an_edit_cannot_rename_an_entry_onto_another():
    agent = factories.agent_create()
    factories.software_create(name="GLPI", slug="glpi")
    mine = factories.software_create(name="Mine", added_by=agent)
    with pytest.raises(ApplicationError):
        software_update(actor=agent, software=mine, name="glpi")
    mine.refresh_from_db()
    assert mine.name == "Mine"


def test_an_edit_records_the_editor_in_the_history():
    agent = factories.agent_create()
    mine = software_propose(agent=agent, name="Mine", license="MIT")
    software_update(actor=agent, software=mine, function="Fait une chose", license="GPL-3.0-only")
    latest = mine.history.first()
    assert latest.history_user == agent
    assert latest.function == "Fait une chose"
    assert latest.license == "GPL-3.0-only"


def test_an_edit_may_not_touch_the_workflow_fields():
    agent = factories.agent_create()
    mine = software_propose(agent=agent, name="Mine", license="MIT")
    with pytest.raises(ApplicationError, match="status"):
        software_update(actor=agent, software=mine, status=SoftwareStatus.RECOMMENDED)
    mine.refresh_from_db()
    assert mine.status == SoftwareStatus.PROPOSED


def test_an_edit_with_a_non_free_license_is_refused_and_changes_nothing():
    agent = factories.agent_create()
    mine = software_propose(agent=agent, name="Mine", license="MIT")
    with pytest.raises(ApplicationError):
        software_update(actor=agent, software=mine, license="Proprietary")
    mine.refresh_from_db()
    assert mine.license == "MIT"


def test_anonymous_proposals_are_refused():
    with pytest.raises(PermissionDenied):
        software_propose(agent=None, name="X", license="MIT")


@pytest.mark.parametrize("url", ["http://[::1", "https://exa mple.org/x", "pas une url"])
def test_a_malformed_source_url_is_refused_as_a_user_error(url):
    with pytest.raises(ApplicationError, match="source_url"):
        software_propose(
            agent=factories.agent_create(), name="Outil", license="MIT", source_url=url
        )
    assert not Software.objects.exists()


def test_an_entry_cannot_become_its_own_parent():
    agent = factories.agent_create()
    mine = software_propose(agent=agent, name="Mine", license="MIT")
    with pytest.raises(ApplicationError, match="own parent"):
        software_update(actor=agent, software=mine, parent=mine)


@pytest.mark.parametrize("name", ["LibreOfice", "Libre Offices", "LibreOffice 7"])
def test_a_proposal_one_typo_from_an_entry_is_refused_as_a_near_duplicate(name):
    factories.software_create(name="LibreOffice", slug="libreoffice")
    with pytest.raises(ApplicationError, match="very close name") as caught:
        software_propose(agent=factories.agent_create(), name=name, license="MPL-2.0")
    assert caught.value.extra["reason"] == "near_name"
    assert caught.value.extra["existing_url"] == "/logiciels/libreoffice/"
    assert Software.objects.count() == 1


@pytest.mark.parametrize(("existing", "name"), [("Pix", "Pia"), ("Nextcloud", "ownCloud")])
def test_distinct_short_or_different_names_are_not_near_duplicates(existing, name):
    factories.software_create(name=existing)
    software_propose(agent=factories.agent_create(), name=name, license="MIT")
    assert Software.objects.count() == 2
