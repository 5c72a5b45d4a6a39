"""ProConnect, the State's OpenID Connect federation for agents, through mozilla-django-oidc."""

from __future__ import annotations

import logging
from urllib.parse import urlencode

import jwt
import requests
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import SuspiciousOperation
from django.http import HttpResponseRedirect
from django.shortcuts import render, resolve_url
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

from inventory.agents.services import agent_sign_in_with_proconnect
from inventory.core.exceptions import ApplicationError

logger = logging.getLogger(__name__)

# The callback lives in this app's URLs, which are mounted whether or not ProConnect is on.
CALLBACK_URL_NAME = "agents:proconnect_callback"
# Kept for the whole session: ProConnect's logout endpoint wants it as id_token_hint.
PROCONNECT_SESSION_KEY = "proconnect_id_token"


# Defaults of ours where mozilla-django-oidc's do not fit: without a timeout, a provider that
# hangs would hold a server worker for ever.
_DEFAULTS = {"OIDC_AUTHENTICATION_CALLBACK_URL": CALLBACK_URL_NAME, "OIDC_TIMEOUT": 15}


def _setting(name: str, *default):
    if name in _DEFAULTS:
        return getattr(settings, name, _DEFAULTS[name])
    return import_from_settings(name, *default)


def _unverified_message() -> str:
    return _("ProConnect's answer could not be verified. Please try again.")


def _refuse(request, message: str) -> None:
    """Keep why a sign-in failed for the callback view to tell the agent."""
    if request is not None:
        request.proconnect_refusal = message


class ProConnectBackend(OIDCAuthenticationBackend):
    """Signs in the agent ProConnect vouches for, if their address is on the allow-list.

    On top of mozilla-django-oidc's checks (state, nonce, signature with the provider's JWKS) it
    checks the id_token's audience and issuer, and that the userinfo (JSON or a signed JWT, as
    ProConnect sends) is about the same subject as the id_token.
    """

    get_settings = staticmethod(_setting)

    def authenticate(self, request, **kwargs):
        # Only the callback view passes a nonce: other sign-in paths never reach the provider.
        if request is None or "nonce" not in kwargs or not settings.PROCONNECT_ENABLED:
            return None
        try:
            return super().authenticate(request, **kwargs)
        except (
            SuspiciousOperation,
            requests.RequestException,
            jwt.PyJWTError,
            ValueError,
            KeyError,
            TypeError,
        ) as exc:
            # Whatever the provider sent that does not verify or parse ends here, not in a 500.
            logger.warning("ProConnect sign-in refused: %s", exc)
            _refuse(request, _unverified_message())
            return None

    def verify_token(self, token, **kwargs):
        payload = super().verify_token(token, **kwargs)
        if "nonce" in kwargs:  # the id_token, not a signed userinfo
            audience = payload.get("aud")
            audiences = [audience] if isinstance(audience, str) else list(audience or [])
            if self.OIDC_RP_CLIENT_ID not in audiences:
                raise SuspiciousOperation("The id_token is meant for another client.")
            issuer = settings.PROCONNECT_ISSUER
            if issuer and payload.get("iss") != issuer:
                raise SuspiciousOperation("The id_token comes from another issuer.")
            if "exp" not in payload:
                raise SuspiciousOperation("The id_token has no expiry.")
        return payload

    def get_userinfo(self, access_token, id_token, payload):
        userinfo = super().get_userinfo(access_token, id_token, payload)
        if not isinstance(userinfo, dict) or userinfo.get("sub") != payload.get("sub"):
            raise SuspiciousOperation("The userinfo is not about the id_token's subject.")
        return userinfo

    def get_or_create_user(self, access_token, id_token, payload):
        try:
            claims = self.get_userinfo(access_token, id_token, payload)
        except SuspiciousOperation:
            # mozilla-django-oidc swallows this one; say why before it does.
            _refuse(self.request, _unverified_message())
            raise
        try:
            agent = agent_sign_in_with_proconnect(
                email=str(claims.get("email") or ""),
                given_name=str(claims.get("given_name") or ""),
                usual_name=str(claims.get("usual_name") or ""),
                siret=str(claims.get("siret") or ""),
            )
        except ApplicationError as error:
            _refuse(self.request, error.message)
            return None
        self.request.session[PROCONNECT_SESSION_KEY] = id_token
        return agent

    def store_tokens(self, access_token, id_token):
        """Nothing is stored before the agent is accepted (see get_or_create_user)."""


def proconnect_logout_url(request, *, id_token: str) -> str:
    """Where to send an agent signed in with ProConnect so that its session ends there too."""
    query = urlencode(
        {
            "id_token_hint": id_token,
            "state": get_random_string(32),
            "post_logout_redirect_uri": request.build_absolute_uri(
                resolve_url(settings.LOGOUT_REDIRECT_URL)
            ),
        }
    )
    return f"{settings.OIDC_OP_LOGOUT_ENDPOINT}?{query}"


class _ProConnectEnabledMixin:
    """Answers 404 with an explanation while ProConnect is not configured."""

    get_settings = staticmethod(_setting)

    def dispatch(self, request, *args, **kwargs):
        if not settings.PROCONNECT_ENABLED:
            return render(request, "agents/proconnect_disabled.html", status=404)
        return super().dispatch(request, *args, **kwargs)


class ProConnectLoginView(_ProConnectEnabledMixin, OIDCAuthenticationRequestView):
    """Sends the agent to ProConnect's authorisation endpoint."""


class ProConnectCallbackView(_ProConnectEnabledMixin, OIDCAuthenticationCallbackView):
    """Receives the agent back from ProConnect and signs them in."""

    @property
    def failure_url(self) -> str:
        return resolve_url("agents:login")

    def login_failure(self):
        messages.error(
            self.request,
            getattr(self.request, "proconnect_refusal", "")
            or _("Signing in with ProConnect did not work. Please try again."),
        )
        return HttpResponseRedirect(self.failure_url)
