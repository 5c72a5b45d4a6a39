"""ProConnect sign-in end to end against the OIDC provider in oidc_provider.py."""

from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.urls import reverse

from inventory.agents.models import Agent, Membership, MembershipSource, MembershipStatus

from .helpers import signed_in_email
from .oidc_provider import OIDCProvider, _new_key

pytestmark = pytest.mark.django_db


@pytest.fixture
def provider(settings, allow_list):
    with OIDCProvider() as running:
        for name, value in running.django_settings().items():
            setattr(settings, name, value)
        settings.AUTHENTICATION_BACKENDS = [
            *settings.AUTHENTICATION_BACKENDS,
            "inventory.agents.oidc.ProConnectBackend",
        ]
        yield running


def sign_in_with_proconnect(client, next_url: str = ""):
    """Click the button, let the provider answer, bring its redirect back to the site."""
    url = reverse("agents:proconnect_login") + (f"?next={next_url}" if next_url else "")
    start = client.get(url)
    assert start.status_code == 302
    authorize = requests.get(start["Location"], allow_redirects=False, timeout=10)
    assert authorize.status_code == 302, authorize.text
    callback = urlsplit(authorize.headers["Location"])
    assert callback.path == reverse("agents:proconnect_callback")
    return client.get(f"{callback.path}?{callback.query}")


def messages_of(client, response) -> str:
    return " ".join(
        str(message) for message in client.get(response["Location"]).context["messages"]
    )


def test_an_allowed_agent_is_created_named_and_signed_in(client, provider):
    provider.claims.update(
        {"given_name": "Jean", "usual_name": "Dupont", "siret": "13002526500013"}
    )

    response = sign_in_with_proconnect(client, next_url="/catalog/")

    assert response.status_code == 302
    assert response["Location"] == "/catalog/"
    agent = Agent.objects.get()
    assert (agent.email, agent.first_name, agent.last_name, agent.siret) == (
        "jean.dupont@dinum.gouv.fr",
        "Jean",
        "Dupont",
        "13002526500013",
    )
    assert agent.organisation is None  # no agent of that SIRET had one yet
    assert signed_in_email(client) == agent.email
    assert provider.requests[:4] == ["GET /authorize", "POST /token", "GET /jwks", "GET /userinfo"]


def test_the_request_carries_state_nonce_scopes_and_the_callback(client, provider):
    start = client.get(reverse("agents:proconnect_login"))
    query = parse_qs(urlsplit(start["Location"]).query)
    assert query["client_id"] == ["logitheque"]
    assert query["redirect_uri"] == ["http://testserver/agents/proconnect/callback/"]
    assert "email" in query["scope"][0].split() and "siret" in query["scope"][0].split()
    assert query["state"][0] and query["nonce"][0]


def test_a_signed_jwt_userinfo_is_accepted(client, provider):
    provider.userinfo_as_jwt = True
    provider.claims["given_name"] = "Jeanne"

    response = sign_in_with_proconnect(client)

    assert response.status_code == 302
    assert Agent.objects.get().first_name == "Jeanne"
    assert signed_in_email(client) == "jean.dupont@dinum.gouv.fr"


def test_an_existing_agent_is_found_by_address_and_keeps_their_names(
    client, provider, organisation
):
    Agent.objects.create_user(
        email="jean.dupont@dinum.gouv.fr", first_name="Jean-Pierre", organisation=organisation
    )
    provider.claims.update({"email": "Jean.Dupont@DINUM.gouv.fr", "given_name": "Jean"})

    sign_in_with_proconnect(client)

    agent = Agent.objects.get()
    assert agent.first_name == "Jean-Pierre"
    assert agent.organisation == organisation
    assert signed_in_email(client) == agent.email


def test_an_agent_joins_the_organisation_of_approved_colleagues_with_the_same_siret(
    client, provider, organisation
):
    colleague = Agent.objects.create_user(
        email="collegue@dinum.gouv.fr", siret="13002526500013", organisation=organisation
    )
    Membership.objects.create(
        agent=colleague,
        organisation=organisation,
        status=MembershipStatus.APPROVED,
        source=MembershipSource.CURATOR,
    )
    provider.claims["siret"] = "13002526500013"

    sign_in_with_proconnect(client)

    agent = Agent.objects.get(email="jean.dupont@dinum.gouv.fr")
    assert agent.organisation == organisation
    membership = agent.memberships.get()
    assert (membership.organisation, membership.status, membership.source) == (
        organisation,
        MembershipStatus.APPROVED,
        MembershipSource.SIRET,
    )


def test_a_colleague_who_only_claims_an_organisation_passes_nothing_on_by_siret(
    client, provider, organisation
):
    Agent.objects.create_user(
        email="collegue@dinum.gouv.fr", siret="13002526500013", organisation=organisation
    )
    provider.claims["siret"] = "13002526500013"

    sign_in_with_proconnect(client)

    agent = Agent.objects.get(email="jean.dupont@dinum.gouv.fr")
    assert agent.organisation is None
    assert not agent.memberships.exists()


def test_an_address_off_the_allow_list_is_refused(client, provider):
    provider.claims["email"] = "agent@gouv.fr.example.com"

    response = sign_in_with_proconnect(client)

    assert response.status_code == 302
    assert response["Location"] == reverse("agents:login")
    assert not Agent.objects.exists()
    assert signed_in_email(client) is None
    assert "Only addresses of the French public sector" in messages_of(client, response)


def test_a_deactivated_agent_is_refused(client, provider):
    Agent.objects.create_user(email="jean.dupont@dinum.gouv.fr", is_active=False)
    response = sign_in_with_proconnect(client)
    assert response["Location"] == reverse("agents:login")
    assert signed_in_email(client) is None


@pytest.mark.parametrize(
    "tamper",
    [
        pytest.param(lambda p: setattr(p, "id_token_key", _new_key()), id="bad signature"),
        pytest.param(lambda p: p.id_token_changes.update(aud="another-client"), id="audience"),
        pytest.param(lambda p: p.id_token_changes.update(iss="https://evil.example"), id="issuer"),
        pytest.param(lambda p: p.id_token_changes.update(nonce="replayed"), id="nonce"),
        pytest.param(lambda p: p.id_token_changes.update(exp=1), id="expired"),
        pytest.param(lambda p: p.userinfo_changes.update(sub="someone-else"), id="userinfo sub"),
        pytest.param(lambda p: setattr(p, "jwks_body", {"no": "keys"}), id="malformed jwks"),
    ],
)
def test_an_answer_that_does_not_verify_signs_nobody_in(client, provider, tamper):
    tamper(provider)

    response = sign_in_with_proconnect(client)

    assert response.status_code == 302
    assert response["Location"] == reverse("agents:login")
    assert not Agent.objects.exists()
    assert signed_in_email(client) is None
    assert "could not be verified" in messages_of(client, response)


def test_a_callback_with_a_state_this_browser_never_sent_is_refused(client, provider):
    client.get(reverse("agents:proconnect_login"))
    response = client.get(reverse("agents:proconnect_callback") + "?code=x&state=forged")
    assert response.status_code == 400
    assert signed_in_email(client) is None


def test_a_callback_without_a_sign_in_in_progress_is_refused(client, provider):
    response = client.get(reverse("agents:proconnect_callback") + "?code=x&state=y")
    assert response.status_code == 302
    assert signed_in_email(client) is None


def test_the_login_page_offers_proconnect_only_when_enabled(client, provider, settings):
    assert b"ProConnect" in client.get(reverse("agents:login")).content
    settings.PROCONNECT_ENABLED = False
    assert b"ProConnect" not in client.get(reverse("agents:login")).content


def test_proconnect_urls_answer_404_while_it_is_not_configured(client, db):
    for name in ("agents:proconnect_login", "agents:proconnect_callback"):
        response = client.get(reverse(name))
        assert response.status_code == 404
        assert b"ProConnect is not available on this site" in response.content


def test_the_backend_ignores_other_sign_in_paths(client, provider, agent):
    # An admin password form with ProConnect-looking query parameters never reaches the provider.
    from django.contrib.auth import authenticate
    from django.test import RequestFactory

    request = RequestFactory().post("/admin/login/?code=x&state=y")
    assert authenticate(request, username=agent.email, password="") is None
    assert provider.requests == []


def test_signing_out_ends_the_proconnect_session_too(client, provider):
    sign_in_with_proconnect(client)
    id_token = client.session["proconnect_id_token"]

    response = client.post(reverse("agents:logout"))

    assert signed_in_email(client) is None
    end = requests.get(response["Location"], allow_redirects=False, timeout=10)
    assert end.headers["Location"] == "http://testserver/"
    (query,) = provider.ended_sessions
    assert query["id_token_hint"] == id_token
    assert query["state"]


def test_a_refused_sign_in_keeps_no_token_in_the_session(client, provider):
    provider.claims["email"] = "agent@evil.example"
    sign_in_with_proconnect(client)
    assert "proconnect_id_token" not in client.session
    assert client.post(reverse("agents:logout"))["Location"] == "/"


def test_an_unreachable_provider_is_a_message_not_an_error(client, provider, settings):
    with OIDCProvider() as gone:
        closed = gone.issuer
    settings.OIDC_OP_TOKEN_ENDPOINT = f"{closed}/token"

    response = sign_in_with_proconnect(client)

    assert response["Location"] == reverse("agents:login")
    assert "could not be verified" in messages_of(client, response)
    assert signed_in_email(client) is None


def test_a_provider_error_or_a_cancelled_sign_in_goes_back_to_the_login_page(client, provider):
    client.get(reverse("agents:proconnect_login"))
    response = client.get(reverse("agents:proconnect_callback") + "?error=access_denied&state=x")
    assert response.status_code == 302
    assert response["Location"] == reverse("agents:login")
    assert "did not work" in messages_of(client, response)
