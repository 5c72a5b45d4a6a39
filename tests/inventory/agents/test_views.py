"""Sign-in by e-mail link end to end, sign-out, and the ways around them that must fail."""

import base64

import pytest
from django.contrib.auth.hashers import is_password_usable
from django.core import mail
from django.test import Client
from django.urls import reverse
from sesame import packers
from sesame.utils import get_token

from inventory.agents.models import Agent, EmailDomain

from .helpers import last_link, link_path, request_link, signed_in_email

pytestmark = pytest.mark.django_db


def test_the_login_page_asks_for_a_professional_address_and_hides_proconnect_when_off(client):
    response = client.get(reverse("agents:login"))
    assert response.status_code == 200
    assert b'name="email"' in response.content
    assert b"csrfmiddlewaretoken" in response.content
    assert b"ProConnect" not in response.content


def test_a_first_sign_in_creates_the_agent_only_when_the_link_is_used(client, allow_list):
    response = request_link(client, "  Jean.Dupont@DINUM.gouv.fr ")

    assert response.status_code == 200
    assert b"A sign-in link is on its way to jean.dupont@dinum.gouv.fr" in response.content
    link = last_link("jean.dupont@dinum.gouv.fr")
    assert not Agent.objects.exists()

    confirm = client.get(link)
    assert confirm.status_code == 200
    assert b"Sign in to Logith" in confirm.content
    assert signed_in_email(client) is None  # opening the link alone signs nobody in

    response = client.post(link)

    assert response.status_code == 302
    assert response["Location"] == "/"
    agent = Agent.objects.get()
    assert agent.email == "jean.dupont@dinum.gouv.fr"
    assert agent.is_active and not agent.is_staff
    assert not is_password_usable(agent.password)
    assert signed_in_email(client) == "jean.dupont@dinum.gouv.fr"


def test_an_existing_agent_signs_in_with_a_link(client, agent):
    request_link(client, agent.email)
    response = client.post(last_link(agent.email))
    assert response.status_code == 302
    assert signed_in_email(client) == agent.email
    assert Agent.objects.count() == 1


@pytest.mark.parametrize("existing", [False, True])
def test_a_link_works_once(client, allow_list, existing):
    if existing:
        Agent.objects.create_user(email="jean.dupont@dinum.gouv.fr")
    request_link(client, "jean.dupont@dinum.gouv.fr")
    link = last_link("jean.dupont@dinum.gouv.fr")
    assert client.post(link).status_code == 302

    other = Client()
    assert other.get(link).status_code == 403
    response = other.post(link)

    assert response.status_code == 403
    assert b"This sign-in link does not work" in response.content
    assert signed_in_email(other) is None
    assert Agent.objects.count() == 1


@pytest.mark.parametrize("existing", [False, True])
def test_an_expired_link_is_refused(client, allow_list, settings, existing):
    if existing:
        Agent.objects.create_user(email="jean.dupont@dinum.gouv.fr")
    request_link(client, "jean.dupont@dinum.gouv.fr")
    link = last_link("jean.dupont@dinum.gouv.fr")

    settings.SESAME_MAX_AGE = -1  # every link is now older than its lifetime

    assert client.get(link).status_code == 403
    assert client.post(link).status_code == 403
    assert signed_in_email(client) is None
    assert Agent.objects.count() == (1 if existing else 0)


def test_a_new_link_for_an_existing_agent_outlives_the_older_one_after_use(client, agent):
    request_link(client, agent.email)
    first = last_link(agent.email)
    request_link(client, agent.email)
    second = last_link(agent.email)

    assert client.post(second).status_code == 302
    # Signing in revokes every link sent before.
    assert Client().post(first).status_code == 403


def test_a_same_site_next_url_is_followed(client, allow_list):
    request_link(client, "jean.dupont@dinum.gouv.fr", next="/catalog/?q=libre")
    link = last_link("jean.dupont@dinum.gouv.fr")
    assert "next=%2Fcatalog%2F%3Fq%3Dlibre" in link

    response = client.post(link)

    assert response["Location"] == "/catalog/?q=libre"


@pytest.mark.parametrize(
    "next_url",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example/",
        "https:evil.example",
        "javascript:alert(1)",
        "http://testserver.evil.example/",
    ],
)
def test_an_off_site_next_url_is_dropped(client, allow_list, next_url):
    request_link(client, "jean.dupont@dinum.gouv.fr", next=next_url)
    link = last_link("jean.dupont@dinum.gouv.fr")
    assert "next=" not in link
    # Even when added to the link by hand.
    response = client.post(link_path(link) + "?next=" + next_url)
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_a_refused_domain_is_told_plainly_and_gets_no_mail(client, allow_list):
    response = request_link(client, "agent@gouv.fr.example.com")

    assert response.status_code == 200
    assert b"Only addresses of the French public sector" in response.content
    assert mail.outbox == []
    assert not Agent.objects.exists()


def test_a_malformed_address_is_refused_without_mail(client, allow_list):
    response = request_link(client, '"agent@gouv.fr"@evil.com')
    assert response.status_code == 200
    assert b"Enter a valid e-mail address." in response.content
    assert mail.outbox == []


def test_a_deactivated_agent_sees_the_same_page_but_gets_no_link(client, allow_list):
    Agent.objects.create_user(email="parti@dinum.gouv.fr", is_active=False)

    response = request_link(client, "parti@dinum.gouv.fr")

    assert b"A sign-in link is on its way to parti@dinum.gouv.fr" in response.content
    assert mail.outbox == []


def test_a_link_stops_working_when_its_domain_is_taken_off_the_list(client, allow_list):
    request_link(client, "jean.dupont@dinum.gouv.fr")
    link = last_link("jean.dupont@dinum.gouv.fr")
    EmailDomain.objects.filter(domain="gouv.fr").update(active=False)

    assert client.post(link).status_code == 403
    assert not Agent.objects.exists()


@pytest.mark.parametrize(
    "token", ["forged", "AAAAAAAAAAAAAAAAAAAAAAAAAAAA", "a:b:c", "%00", "-_-_"]
)
def test_a_forged_token_signs_nobody_in(client, agent, token):
    response = client.post(reverse("agents:login_link", kwargs={"token": token}))
    assert response.status_code == 403
    assert signed_in_email(client) is None


def test_a_token_rewritten_for_another_agent_is_refused(client, agent):
    victim = Agent.objects.create_user(email="directrice@dinum.gouv.fr")
    token = get_token(agent)
    data = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
    own_pk = packers.packer.pack_pk(agent.pk)
    assert data.startswith(own_pk)
    forged_data = packers.packer.pack_pk(victim.pk) + data[len(own_pk) :]
    assert packers.packer.unpack_pk(forged_data)[0] == victim.pk
    forged = base64.urlsafe_b64encode(forged_data).rstrip(b"=").decode()

    response = client.post(reverse("agents:login_link", kwargs={"token": forged}))

    assert response.status_code == 403
    assert signed_in_email(client) is None
    # The untouched token still works: only the rewriting was refused.
    assert client.post(reverse("agents:login_link", kwargs={"token": token})).status_code == 302


def test_a_first_sign_in_token_rewritten_for_another_address_is_refused(client, allow_list):
    request_link(client, "stagiaire@dinum.gouv.fr")
    link = last_link("stagiaire@dinum.gouv.fr")
    encoded = link.split("/")[3].split(":")[0]
    forged_payload = base64.urlsafe_b64encode(b'"directrice@dinum.gouv.fr"').rstrip(b"=").decode()

    response = client.post(link.replace(encoded, forged_payload))

    assert response.status_code == 403
    assert not Agent.objects.exists()
    assert client.post(link).status_code == 302
    assert signed_in_email(client) == "stagiaire@dinum.gouv.fr"


def test_every_post_needs_its_csrf_token(allow_list):
    browser = Client(enforce_csrf_checks=True)
    assert browser.post(reverse("agents:login"), {"email": "a@dinum.gouv.fr"}).status_code == 403
    assert mail.outbox == []

    request_link(Client(), "jean.dupont@dinum.gouv.fr")
    link = last_link("jean.dupont@dinum.gouv.fr")
    assert browser.post(link).status_code == 403
    assert signed_in_email(browser) is None
    assert not Agent.objects.exists()

    # With the token from the confirmation page, the same browser signs in.
    page = browser.get(link)
    token = page.context["csrf_token"]
    assert browser.post(link, {"csrfmiddlewaretoken": token}).status_code == 302
    assert signed_in_email(browser) == "jean.dupont@dinum.gouv.fr"

    assert browser.post(reverse("agents:logout")).status_code == 403
    assert signed_in_email(browser) == "jean.dupont@dinum.gouv.fr"


def test_logout_is_post_only(client, agent):
    client.force_login(agent, backend="sesame.backends.ModelBackend")

    assert client.get(reverse("agents:logout")).status_code == 405
    assert signed_in_email(client) == agent.email

    response = client.post(reverse("agents:logout"))

    assert response.status_code == 302
    assert signed_in_email(client) is None


def test_the_mail_says_how_long_the_link_lasts(client, allow_list, settings):
    settings.SESAME_MAX_AGE = 600
    request_link(client, "jean.dupont@dinum.gouv.fr")
    message = mail.outbox[0]
    assert "10 minutes" in message.body
    assert message.subject == "Your sign-in link to Logithèque"


def test_a_next_url_with_line_breaks_cannot_inject_headers(client, allow_list):
    request_link(client, "jean.dupont@dinum.gouv.fr")
    link = link_path(last_link("jean.dupont@dinum.gouv.fr"))

    response = client.post(link + "?next=/catalog/%0D%0ASet-Cookie:%20pwned=1")

    assert response.status_code == 302
    assert "\n" not in response["Location"] and "\r" not in response["Location"]
    assert "pwned" not in response.cookies


@pytest.mark.parametrize(
    "data",
    [
        {"email": "a" * 5000 + "@dinum.gouv.fr"},
        {"email": "jean\x00@dinum.gouv.fr"},
        {"email": ""},
        {},
        {"email": "jean.dupont@dinum.gouv.fr", "next": "\x00"},
    ],
)
def test_hostile_sign_in_forms_are_answered_without_error(client, allow_list, data):
    response = client.post(reverse("agents:login"), data)
    assert response.status_code == 200
    if data.get("next") is None:
        assert mail.outbox == []


def test_a_very_long_token_is_refused(client, agent):
    response = client.post(reverse("agents:login_link", kwargs={"token": "A" * 10000}))
    assert response.status_code == 403


def test_a_mail_server_that_is_down_gives_a_message_not_an_error(client, allow_list, settings):
    import socket

    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 5

    response = request_link(client, "jean.dupont@dinum.gouv.fr")

    assert response.status_code == 200
    assert b"The e-mail could not be sent just now" in response.content
