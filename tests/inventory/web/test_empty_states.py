"""Pages say what is missing in French sentences: no untranslated "(whole instance)", no
"See the result" over zero results, no bare "Aucun" where an agent has added nothing yet."""

import pytest

from inventory.forges.models import Account, Forge

pytestmark = pytest.mark.django_db


def test_a_whole_instance_account_is_titled_in_french(client):
    forge = Forge.objects.create(
        host="git.example.fr", kind="gitlab", api_url="https://git.example.fr/api/v4"
    )
    account = Account.objects.create(forge=forge, login="", kind="instance")
    html = client.get(f"/code/comptes/{account.pk}/").content.decode()
    assert "<h1>git.example.fr (instance entière)</h1>" in html
    assert "whole instance" not in html
    assert str(account) == "git.example.fr (whole instance)"  # logs and commands stay English


def test_zero_results_do_not_offer_to_see_the_result(client):
    html = client.get("/logiciels/", {"q": "zzzqqqxxx"}).content.decode()
    assert "Voir le résultat" not in html
    assert '<a class="fr-link" href="#results" id="see-results">Aucun résultat</a>' in html


def test_some_results_offer_to_see_them(client, repository):
    html = client.get("/code/").content.decode()
    assert "Voir le résultat" in html or "Voir les 1 résultats" in html


def test_my_space_explains_each_empty_section(agent_client):
    html = agent_client.get("/mon-espace/").content.decode()
    assert "Aucun pour l’instant" not in html
    assert 'id="instances-empty">Vous n’avez encore ajouté aucune instance.' in html
    assert "Vous n’avez encore proposé aucun logiciel." in html
    assert "Vous n’avez encore écrit aucun commentaire." in html


def test_my_space_lists_an_added_instance_instead_of_the_empty_state(
    agent_client, agent, organisation
):
    from tests.inventory.catalog import factories

    software = factories.software_create(name="Nextcloud", slug="nextcloud")
    factories.instance_create(
        software=software, organisation=organisation, added_by=agent,
        public_url="https://cloud.example.gouv.fr/",
    )  # fmt: skip
    html = agent_client.get("/mon-espace/").content.decode()
    assert 'id="instances-empty"' not in html
    assert "https://cloud.example.gouv.fr/" in html
