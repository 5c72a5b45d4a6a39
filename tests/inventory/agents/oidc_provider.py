"""A small OpenID Connect provider on 127.0.0.1 that plays ProConnect in the tests.

It implements the authorisation-code flow: discovery, /authorize (redirects straight back with a
code), /token (an RS256 id_token carrying the nonce), /jwks, /userinfo (JSON, or a signed JWT
as ProConnect sends) and /session/end (logout). Attributes let a test make it misbehave.
"""

from __future__ import annotations

import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa


def _new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


class OIDCProvider:
    def __init__(self, *, client_id: str = "logitheque") -> None:
        self.client_id = client_id
        self.client_secret = secrets.token_urlsafe(16)
        self.key = _new_key()
        self.kid = "test-key-1"
        self.claims: dict = {"sub": "agent-1", "email": "jean.dupont@dinum.gouv.fr"}
        self.userinfo_as_jwt = False
        self.id_token_key: rsa.RSAPrivateKey | None = None  # sign with another key than the JWKS
        self.id_token_changes: dict = {}  # claims to overwrite in the id_token
        self.userinfo_changes: dict = {}  # claims to overwrite in the userinfo only
        self.jwks_body: dict | None = None  # answer this instead of the real key set
        self.requests: list[str] = []
        self.ended_sessions: list[dict] = []  # queries received by the end-session endpoint
        self._codes: dict[str, dict] = {}
        self._access_tokens: dict[str, str] = {}
        self._server: ThreadingHTTPServer | None = None

    @property
    def issuer(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def django_settings(self) -> dict:
        return {
            "PROCONNECT_ENABLED": True,
            "PROCONNECT_ISSUER": self.issuer,
            "OIDC_RP_CLIENT_ID": self.client_id,
            "OIDC_RP_CLIENT_SECRET": self.client_secret,
            "OIDC_RP_SIGN_ALGO": "RS256",
            "OIDC_OP_AUTHORIZATION_ENDPOINT": f"{self.issuer}/authorize",
            "OIDC_OP_TOKEN_ENDPOINT": f"{self.issuer}/token",
            "OIDC_OP_USER_ENDPOINT": f"{self.issuer}/userinfo",
            "OIDC_OP_JWKS_ENDPOINT": f"{self.issuer}/jwks",
            "OIDC_OP_LOGOUT_ENDPOINT": f"{self.issuer}/session/end",
        }

    def __enter__(self) -> OIDCProvider:
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()

    def sign(self, claims: dict, key: rsa.RSAPrivateKey | None = None) -> str:
        return jwt.encode(claims, key or self.key, algorithm="RS256", headers={"kid": self.kid})

    def jwks(self) -> dict:
        jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key()))
        jwk.update({"kid": self.kid, "alg": "RS256", "use": "sig"})
        return {"keys": [jwk]}

    def authorize(self, query: dict) -> tuple[int, dict, bytes]:
        if query.get("client_id") != self.client_id or query.get("response_type") != "code":
            return 400, {"Content-Type": "text/plain"}, b"bad authorisation request"
        code = secrets.token_urlsafe(16)
        self._codes[code] = {"nonce": query.get("nonce"), "redirect_uri": query["redirect_uri"]}
        location = query["redirect_uri"] + "?" + urlencode({"code": code, "state": query["state"]})
        return 302, {"Location": location}, b""

    def token(self, form: dict) -> tuple[int, dict, bytes]:
        grant = self._codes.pop(form.get("code", ""), None)
        if (
            grant is None
            or form.get("client_id") != self.client_id
            or form.get("client_secret") != self.client_secret
            or form.get("redirect_uri") != grant["redirect_uri"]
        ):
            return _json(400, {"error": "invalid_grant"})
        now = int(time.time())
        id_token = {
            "iss": self.issuer,
            "sub": self.claims["sub"],
            "aud": self.client_id,
            "iat": now,
            "exp": now + 60,
            "nonce": grant["nonce"],
            **self.id_token_changes,
        }
        access_token = secrets.token_urlsafe(16)
        self._access_tokens[access_token] = self.claims["sub"]
        return _json(
            200,
            {
                "access_token": access_token,
                "token_type": "Bearer",
                "expires_in": 60,
                "id_token": self.sign(id_token, self.id_token_key),
            },
        )

    def userinfo(self, authorization: str) -> tuple[int, dict, bytes]:
        access_token = authorization.removeprefix("Bearer ")
        if access_token not in self._access_tokens:
            return _json(401, {"error": "invalid_token"})
        claims = {**self.claims, **self.userinfo_changes}
        if self.userinfo_as_jwt:
            signed = {"iss": self.issuer, "aud": self.client_id, **claims}
            return 200, {"Content-Type": "application/jwt"}, self.sign(signed).encode()
        return _json(200, claims)


def _json(status: int, body: dict) -> tuple[int, dict, bytes]:
    return status, {"Content-Type": "application/json"}, json.dumps(body).encode()


def _handler_for(provider: OIDCProvider):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

        def _answer(self, status: int, headers: dict, body: bytes) -> None:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            url = urlsplit(self.path)
            provider.requests.append(f"GET {url.path}")
            query = {key: values[0] for key, values in parse_qs(url.query).items()}
            if url.path == "/.well-known/openid-configuration":
                issuer = provider.issuer
                self._answer(
                    *_json(
                        200,
                        {
                            "issuer": issuer,
                            "authorization_endpoint": f"{issuer}/authorize",
                            "token_endpoint": f"{issuer}/token",
                            "userinfo_endpoint": f"{issuer}/userinfo",
                            "jwks_uri": f"{issuer}/jwks",
                            "id_token_signing_alg_values_supported": ["RS256"],
                            "userinfo_signing_alg_values_supported": ["RS256"],
                            "response_types_supported": ["code"],
                        },
                    )
                )
            elif url.path == "/authorize":
                self._answer(*provider.authorize(query))
            elif url.path == "/jwks":
                self._answer(*_json(200, provider.jwks_body or provider.jwks()))
            elif url.path == "/session/end":
                provider.ended_sessions.append(query)
                self._answer(302, {"Location": query["post_logout_redirect_uri"]}, b"")
            elif url.path == "/userinfo":
                self._answer(*provider.userinfo(self.headers.get("Authorization", "")))
            else:
                self._answer(*_json(404, {"error": "not_found"}))

        def do_POST(self) -> None:
            url = urlsplit(self.path)
            provider.requests.append(f"POST {url.path}")
            length = int(self.headers.get("Content-Length") or 0)
            form = {
                key: values[0] for key, values in parse_qs(self.rfile.read(length).decode()).items()
            }
            if url.path == "/token":
                self._answer(*provider.token(form))
            else:
                self._answer(*_json(404, {"error": "not_found"}))

    return Handler
