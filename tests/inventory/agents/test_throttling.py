"""Sign-in link requests are limited per address and per IP, with a clear 429."""

import pytest
from django.core import mail
from django.urls import reverse

pytestmark = pytest.mark.django_db


def ask(client, email, ip="192.0.2.1"):
    return client.post(reverse("agents:login"), {"email": email}, REMOTE_ADDR=ip)


def test_too_many_links_for_one_address_get_a_429(client, allow_list, settings):
    settings.SIGNIN_THROTTLE_PER_ADDRESS = 2
    settings.SIGNIN_THROTTLE_WINDOW = 3600

    assert ask(client, "jean.dupont@dinum.gouv.fr", ip="192.0.2.1").status_code == 200
    # Changing IP or letter case does not reset the address's count.
    assert ask(client, "Jean.Dupont@dinum.gouv.fr", ip="192.0.2.2").status_code == 200
    response = ask(client, "jean.dupont@dinum.gouv.fr", ip="192.0.2.3")

    assert response.status_code == 429
    assert b"Too many links were asked for this address or from your network" in response.content
    assert b"60 minutes" in response.content
    assert len(mail.outbox) == 2
    # Another address is still served.
    assert ask(client, "marie.curie@dinum.gouv.fr", ip="192.0.2.4").status_code == 200


def test_too_many_links_from_one_ip_get_a_429(client, allow_list, settings):
    settings.SIGNIN_THROTTLE_PER_IP = 3

    for number in range(3):
        assert ask(client, f"agent{number}@dinum.gouv.fr", ip="198.51.100.7").status_code == 200
    response = ask(client, "agent9@dinum.gouv.fr", ip="198.51.100.7")

    assert response.status_code == 429
    assert len(mail.outbox) == 3
    assert ask(client, "agent9@dinum.gouv.fr", ip="198.51.100.8").status_code == 200


def test_refused_addresses_count_against_the_ip_too(client, allow_list, settings):
    settings.SIGNIN_THROTTLE_PER_IP = 2

    assert ask(client, "a@evil.example", ip="203.0.113.9").status_code == 200
    assert ask(client, "b@evil.example", ip="203.0.113.9").status_code == 200
    assert ask(client, "c@evil.example", ip="203.0.113.9").status_code == 429


def test_the_window_resets_the_counts(client, allow_list, settings):
    from django.core.cache import cache

    settings.SIGNIN_THROTTLE_PER_ADDRESS = 1
    assert ask(client, "jean.dupont@dinum.gouv.fr").status_code == 200
    assert ask(client, "jean.dupont@dinum.gouv.fr").status_code == 429
    cache.clear()  # what the end of the window does
    assert ask(client, "jean.dupont@dinum.gouv.fr").status_code == 200
