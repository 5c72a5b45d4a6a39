"""Frozen records the enrichment sources return: what crosses from crawlers/sources/ into Django."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Version:
    """A released version and, when the source gives it, its publication date."""

    number: str
    published: datetime.date | None = None


@dataclass(frozen=True, slots=True)
class Provider:
    """A service provider supporting a software; ``url`` is its page at the source."""

    name: str
    website: str = ""
    siren: str = ""
    url: str = ""


@dataclass(frozen=True, slots=True)
class PublicUser:
    """A public-sector user of a software, as listed by Comptoir du Libre."""

    name: str
    url: str = ""


@dataclass(frozen=True, slots=True)
class Author:
    """An author of a research software (HAL) and their affiliation."""

    name: str
    affiliation: str = ""


@dataclass(frozen=True, slots=True)
class SourceRecord:
    """What one source knows about one software; empty fields mean "the source does not say".

    ``external_id`` is the Q-id (wikidata), Comptoir id (comptoir), SILL id (cnll), HAL id (hal)
    or repository URL (forge). Text is plain, stripped of control characters and bounded; every
    URL is http(s). ``licenses`` are SPDX ids when mappable, else the source's text. ``raw`` is
    the source's answer for this entity, kept for the record.
    """

    source: str  # "wikidata" | "comptoir" | "cnll" | "hal" | "forge"
    external_id: str
    url: str = ""
    label: str = ""
    description: str = ""
    language: str = ""
    aliases: tuple[str, ...] = ()
    logo_url: str = ""
    website: str = ""
    repository: str = ""
    documentation: str = ""
    licenses: tuple[str, ...] = ()
    latest_version: Version | None = None
    developers: tuple[str, ...] = ()
    programming_languages: tuple[str, ...] = ()
    operating_systems: tuple[str, ...] = ()
    providers: tuple[Provider, ...] = ()
    users: tuple[PublicUser, ...] = ()
    authors: tuple[Author, ...] = ()
    swh_id: str = ""
    similar: tuple[str, ...] = ()
    raw: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Candidate:
    """A search hit: for name matching and the proposal form's auto-fill."""

    source: str
    external_id: str
    label: str
    description: str = ""
    url: str = ""


@dataclass(frozen=True, slots=True)
class Fetched:
    """The result of a fetch: ``not_modified`` when every answer was a 304."""

    records: tuple[SourceRecord, ...]
    not_modified: bool = False
    requests: int = 0


@dataclass(frozen=True, slots=True)
class LogoImage:
    """A downloaded logo, checked for type and size."""

    content: bytes
    content_type: str
    source_url: str
