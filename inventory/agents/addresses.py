"""Strict normalisation of e-mail addresses and domains, so look-alikes cannot pass the allow-list."""

from __future__ import annotations

import re
import unicodedata

import idna

# An ASCII dot-atom local part (RFC 5322 without quoted strings or comments): a quoted local
# part may itself contain "@", which is how "agent@gouv.fr"@evil.com slips past naive checks.
_LOCAL_PART = re.compile(r"[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*")
_LABEL = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")
_MAX_ADDRESS_LENGTH = 254
_MAX_LOCAL_LENGTH = 64
_MAX_DOMAIN_LENGTH = 253


def domain_normalise(domain: str) -> str | None:
    """The domain in lower-case ASCII (IDNA/punycode for international names), or None if invalid.

    A trailing dot, an empty label, a port, a literal IP address or any character a host name
    cannot hold makes it invalid; confusable letters from other scripts survive as punycode, which
    no listed domain matches.
    """
    if not isinstance(domain, str):
        return None
    domain = unicodedata.normalize("NFKC", domain.strip()).lower()
    if not domain:
        return None
    if not domain.isascii():
        try:
            domain = idna.encode(domain, uts46=True, std3_rules=True).decode("ascii")
        except (idna.IDNAError, UnicodeError, ValueError):
            return None
    if len(domain) > _MAX_DOMAIN_LENGTH:
        return None
    labels = domain.split(".")
    if len(labels) < 2 or not all(_LABEL.fullmatch(label) for label in labels):
        return None
    if labels[-1].isdigit():
        return None
    return domain


def email_normalise(email: str) -> str | None:
    """The address as ``local@domain`` in lower-case ASCII, or None if it is not a plain address."""
    if not isinstance(email, str):
        return None
    email = unicodedata.normalize("NFKC", email.strip()).lower()
    if len(email) > _MAX_ADDRESS_LENGTH or email.count("@") != 1:
        return None
    local, domain = email.split("@")
    if len(local) > _MAX_LOCAL_LENGTH or not _LOCAL_PART.fullmatch(local):
        return None
    domain = domain_normalise(domain)
    if domain is None:
        return None
    return f"{local}@{domain}"


def domain_and_parents(domain: str) -> list[str]:
    """``a.b.gouv.fr`` gives ``a.b.gouv.fr``, ``b.gouv.fr``, ``gouv.fr``, ``fr``: dot boundaries only."""
    labels = domain.split(".")
    return [".".join(labels[index:]) for index in range(len(labels))]
