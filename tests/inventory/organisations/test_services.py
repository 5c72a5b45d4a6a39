"""Organisation services: find or create by Annuaire id, import of the top organisations."""

import pytest

from inventory.core.exceptions import ApplicationError
from inventory.core.paths import shared_data_dir
from inventory.organisations.models import Organisation
from inventory.organisations.services import (
    OrganisationHint,
    organisation_get_or_create,
    organisations_ensure,
    organisations_import_ospo,
    organisations_import_top,
)

pytestmark = pytest.mark.django_db

TOP = shared_data_dir() / "codegouvfr" / "top_organizations.yml"
OSPO = shared_data_dir() / "codegouvfr" / "fr-public-sector-ospo.yml"
EDUCATION = "3ed2f725-e077-4973-a531-498e13fc7861"
CEREMA = "6c330fd9-0406-4a5f-9e40-c801716a6a24"


def test_import_top_creates_the_19_top_organisations_each_its_own_ministry():
    result = organisations_import_top(path=TOP)

    assert len(result.created) == 19 and result.problems == []
    education = Organisation.objects.get(pso_id=EDUCATION)
    assert education.name == "Ministère de l'Éducation nationale et de la Jeunesse"
    assert education.is_top and education.ministry == education
    assert education.slug == "ministere-de-leducation-nationale-et-de-la-jeunesse"


def test_import_top_twice_changes_nothing_and_renames_a_placeholder():
    organisation_get_or_create(pso_id=EDUCATION)
    first = organisations_import_top(path=TOP)

    second = organisations_import_top(path=TOP)

    assert [organisation.pso_id for organisation in first.updated] == [EDUCATION]
    assert len(first.created) == 18
    assert (len(second.created), len(second.updated), len(second.unchanged)) == (0, 0, 19)
    assert Organisation.objects.get(pso_id=EDUCATION).name.startswith("Ministère de l'Éducation")


def test_import_top_reports_malformed_lines_and_keeps_the_others(tmp_path):
    path = tmp_path / "top.yml"
    path.write_text(f"{EDUCATION}: Éducation\nnot-an-id: Somebody\n{CEREMA}:\n", encoding="utf-8")

    result = organisations_import_top(path=path)

    assert [organisation.pso_id for organisation in result.created] == [EDUCATION]
    assert [location for location, _ in result.problems] == [
        "top.yml: not-an-id",
        f"top.yml: {CEREMA}",
    ]


def test_import_top_of_an_unreadable_file_is_one_clear_error(tmp_path):
    path = tmp_path / "top.yml"
    path.write_text("- just\n- a list\n", encoding="utf-8")

    with pytest.raises(ApplicationError, match="expected a mapping"):
        organisations_import_top(path=path)


def test_get_or_create_creates_with_a_placeholder_then_returns_the_same_row():
    organisation, created = organisation_get_or_create(pso_id=CEREMA.upper())

    again, created_again = organisation_get_or_create(pso_id=CEREMA, name="Cerema")

    assert created and not created_again
    assert again == organisation
    assert organisation.pso_id == CEREMA
    assert organisation.name == "Organisation 6c330fd9"


@pytest.mark.parametrize("pso_id", ["00000000-0000-0000-0000-000000000000", "6c330fd9", ""])
def test_get_or_create_refuses_unknown_or_malformed_ids(pso_id):
    with pytest.raises(ApplicationError):
        organisation_get_or_create(pso_id=pso_id, name="Somebody")
    assert not Organisation.objects.exists()


def test_ensure_gives_distinct_slugs_to_homonyms_and_names_only_placeholders():
    organisation_get_or_create(pso_id=CEREMA, name="Université")
    other = "5e5a0f52-0000-4000-8000-000000000001"
    third = "5e5a0f52-0000-4000-8000-000000000002"

    result = organisations_ensure(
        hints={
            CEREMA: OrganisationHint(name="Cerema"),
            other: OrganisationHint(name="Université"),
            third: OrganisationHint(),
        }
    )

    assert Organisation.objects.get(pso_id=CEREMA).name == "Université"  # a real name is kept
    assert Organisation.objects.get(pso_id=other).slug == "universite-2"
    assert Organisation.objects.get(pso_id=third).name == "Organisation 5e5a0f52"
    assert len(result.created) == 2 and len(result.unchanged) == 1


def test_ensure_sets_the_first_hinted_ministry_that_is_a_top_organisation():
    organisations_import_top(path=TOP)

    organisations_ensure(
        hints={CEREMA: OrganisationHint(name="Cerema", ministry_pso_ids=(CEREMA, EDUCATION))}
    )

    assert Organisation.objects.get(pso_id=CEREMA).ministry.pso_id == EDUCATION


def test_ospo_import_fills_the_links_of_organisations_with_a_pso_id():
    organisations_import_top(path=TOP)

    result = organisations_import_ospo(path=OSPO)

    education = Organisation.objects.get(pso_id=EDUCATION)
    assert education.ospo_url == "https://pcll.ac-dijon.fr"
    dinum_pole = Organisation.objects.get(pso_id="6a7cd2a0-af32-4b55-9125-671b16df777b")
    assert dinum_pole.ospo_url == "https://code.gouv.fr"
    assert dinum_pole.floss_policy == "https://code.gouv.fr/fr/mission/#politique-logiciels-libres"
    assert (len(result.created), len(result.updated)) == (4, 1)
    assert len(result.problems) == 4  # four OSPOs name no organisation
    assert all("no pso_id" in reason for _, reason in result.problems)


def test_ospo_import_keeps_links_already_set_and_changes_nothing_the_second_time():
    organisation, _ = organisation_get_or_create(pso_id=EDUCATION, name="Éducation nationale")
    organisation.ospo_url = "https://eole.education.gouv.fr"
    organisation.save()
    organisations_import_ospo(path=OSPO)

    second = organisations_import_ospo(path=OSPO)

    assert Organisation.objects.get(pso_id=EDUCATION).ospo_url == "https://eole.education.gouv.fr"
    assert (len(second.created), len(second.updated), len(second.unchanged)) == (0, 0, 5)
