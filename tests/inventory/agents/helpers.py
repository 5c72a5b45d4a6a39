"""Helpers for driving the e-mail link sign-in through HTTP."""

import re
from urllib.parse import urlsplit

from django.core import mail
from django.urls import reverse

LINK = re.compile(r"http://testserver(/agents/login/[^\s/]+/(?:\?\S+)?)")


def request_link(client, email, **data):
    return client.post(reverse("agents:login"), {"email": email, **data})


def last_link(to: str) -> str:
    """The path (with its query) of the sign-in link last mailed to ``to``."""
    message = mail.outbox[-1]
    assert message.to == [to]
    return LINK.search(message.body).group(1)


def link_path(link: str) -> str:
    return urlsplit(link).path


def signed_in_email(client) -> str | None:
    from inventory.agents.models import Agent

    pk = client.session.get("_auth_user_id")
    return Agent.objects.get(pk=pk).email if pk else None
