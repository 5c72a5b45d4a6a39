"""An organisation known only by its Annuaire id takes the name its forge account shows,
never "Organisation c21fa08e"; a real name is never replaced."""

import pytest

from inventory.forges.services.crawl import account_crawl
from inventory.organisations.services import organisation_get_or_create

PSO_ID = "c21fa08e-1111-4222-8333-444455556666"


@pytest.mark.parametrize(
    ("known_name", "expected"), [("", "Etalab"), ("Direction interministérielle", None)]
)
def test_a_crawl_names_an_organisation_known_only_by_its_annuaire_id(
    crawled_accounts, known_name, expected
):
    organisation, _ = organisation_get_or_create(pso_id=PSO_ID, name=known_name)
    assert organisation.name == (known_name or "Organisation c21fa08e")
    etalab = crawled_accounts["github.com/etalab"]
    etalab.organisation = organisation
    etalab.save()

    account_crawl(account_id=etalab.pk)

    organisation.refresh_from_db()
    assert organisation.name == (expected or known_name)


def test_a_whole_instance_names_its_organisation_after_its_host(crawled_accounts):
    """A whole instance has no profile to take a name from: its host is what people know it by."""
    organisation, _ = organisation_get_or_create(pso_id=PSO_ID, name="")
    instance = crawled_accounts["git.example.fr"]
    instance.organisation = organisation
    instance.save()

    account_crawl(account_id=instance.pk)

    organisation.refresh_from_db()
    assert organisation.name == "git.example.fr"
