"""A seed in the sources' real formats, the fake server serving it, and clients that never sleep."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import requests

from crawlers.http import MemoryHttpCache
from crawlers.sources.base import source_session
from crawlers.sources.fakes import FakeSources
from crawlers.sources.fakes.seed import (
    BETA_VERSION,
    STABLE_VERSION,
    VersionClaim,
    license_items,
    referenced_items,
    wikidata_item,
)

LIBREOFFICE = "Q10135"
FIREFOX = "Q698"
BARE = "Q42424242"  # an item with a label only
EVIL = "Q66666666"  # an item whose values are hostile
HAL_ID = "hal-01234567"
SWHID = "swh:1:dir:" + "a" * 40


def sources_seed() -> dict[str, Any]:
    """Realistic answers for the tests (not the demo: these facts need not be true)."""
    wikidata = license_items() | referenced_items()
    wikidata[LIBREOFFICE] = wikidata_item(
        LIBREOFFICE,
        labels={"fr": "LibreOffice", "en": "LibreOffice"},
        descriptions={"fr": "suite bureautique libre", "en": "free office suite"},
        aliases={"fr": ["LO"], "en": ["LibO", "lo"]},
        logo="LibreOffice Logo Flat.svg",
        website="https://www.libreoffice.org/",
        repository="https://git.libreoffice.org/core",
        documentation="https://help.libreoffice.org/",
        licenses=["Q25428413", "Q99999990"],
        versions=[
            VersionClaim("7.5.0", dt.date(2023, 2, 2), "normal", STABLE_VERSION),
            VersionClaim("7.6.0", dt.date(2023, 8, 21), "preferred", STABLE_VERSION),
            VersionClaim("7.6.1", dt.date(2023, 9, 12), "normal"),
            VersionClaim("24.2.0 beta1", dt.date(2023, 12, 1), "preferred", BETA_VERSION),
            VersionClaim("7.4.0", dt.date(2022, 8, 18), "deprecated"),
        ],
        developers=["Q55672"],
        languages=["Q2407", "Q251"],
        systems=["Q388", "Q1406", "Q14116"],
    )
    wikidata["Q99999990"] = wikidata_item("Q99999990", labels={"en": "Some Custom License"})
    wikidata[FIREFOX] = wikidata_item(
        FIREFOX,
        labels={"en": "Firefox"},
        descriptions={"en": "web browser"},
        versions=[VersionClaim("120.0"), VersionClaim("121.0", dt.date(2023, 12, 19))],
    )
    wikidata[BARE] = wikidata_item(BARE, labels={"fr": "Nu"})
    wikidata[EVIL] = wikidata_item(
        EVIL,
        labels={"fr": "Evil\x00\u202e\x1b[31m  Label"},
        descriptions={"fr": "x" * 10_000},
        logo="../../etc/passwd",
        website="javascript:alert(1)",
        repository="https://user:secret@example.org/repo",
        documentation="data:text/html,<script>alert(1)</script>",
    )
    return {
        "wikidata": wikidata,
        "commons": ["LibreOffice_Logo_Flat.svg"],
        "comptoir": {
            "date_of_export": "2024-01-01T00:00:00+00:00",
            "number_of_software": 3,
            "softwares": [
                {
                    "id": 33,
                    "created": "2016-01-01T00:00:00+00:00",
                    "modified": "2024-01-01T00:00:00+00:00",
                    "url": "https://comptoir-du-libre.org/fr/softwares/33",
                    "name": "LibreOffice",
                    "licence": "Mozilla Public License 2.0",
                    "external_resources": {
                        "website": "https://www.libreoffice.org/",
                        "repository": "https://git.libreoffice.org/core",
                        "wikidata": {
                            "id": LIBREOFFICE,
                            "url": f"https://www.wikidata.org/wiki/{LIBREOFFICE}",
                            "data": f"https://www.wikidata.org/wiki/Special:EntityData/{LIBREOFFICE}.json",
                        },
                        "sill": [],
                    },
                    "providers": [
                        {
                            "id": 1,
                            "url": "https://comptoir-du-libre.org/fr/users/1",
                            "name": "Prestataire Un",
                            "type": "Company",
                            "external_resources": {"website": "https://un.example.fr/"},
                        },
                        {
                            "id": 2,
                            "url": "javascript:alert(1)",
                            "name": "Prestataire\x07 Deux",
                            "type": "Company",
                            "external_resources": {"website": None},
                        },
                        {"id": 3, "url": "", "name": "", "type": "Company"},
                    ],
                    "users": [
                        {
                            "id": 10,
                            "url": "https://comptoir-du-libre.org/fr/users/10",
                            "name": "Ville de Exemple",
                            "type": "Administration",
                            "external_resources": {"website": "https://exemple.fr/"},
                        }
                    ],
                },
                {
                    "id": 72,
                    "url": "https://comptoir-du-libre.org/fr/softwares/72",
                    "name": "7-Zip",
                    "licence": "GNU LGPL v2.1",
                    "external_resources": {"website": None, "repository": None},
                    "providers": [],
                    "users": [],
                },
                {"id": True, "name": "not an id"},
                "not an object",
            ],
        },
        "cnll": [
            {
                "nom": "LibreOffice",
                "sill_id": 117,
                "prestataires": [
                    {
                        "nom": "Société A",
                        "siren": "123456789",
                        "url": "https://annuaire.cnll.fr/societes/123456789",
                    },
                    {
                        "nom": "Société A (doublon)",
                        "siren": "123 456 789",
                        "url": "https://annuaire.cnll.fr/societes/123456789",
                    },
                    {"nom": "Société B", "siren": "12345", "url": "javascript:x"},
                    {"nom": "", "siren": "987654321", "url": ""},
                ],
            },
            {"nom": "Other", "sill_id": "118", "prestataires": "not a list"},
            {"nom": "Broken", "sill_id": None},
        ],
        "hal": [
            {
                "docid": 1234567,
                "halId_s": HAL_ID,
                "uri_s": f"https://hal.science/{HAL_ID}",
                "docType_s": "SOFTWARE",
                "title_s": ["Scikit-Fake: apprentissage"],
                "abstract_s": ["Une bibliothèque d'apprentissage automatique."],
                "language_s": ["fr"],
                "authFullName_s": ["Jeanne Dupont", "John Smith"],
                "authIdHasPrimaryStructure_fs": [
                    "jeanne-dupont-0_FacetSep_Jeanne Dupont_JoinSep_1234_FacetSep_Inria",
                    "0-5678_FacetSep_John Smith_JoinSep_99_FacetSep_CNRS",
                ],
                "structName_s": ["Inria", "CNRS"],
                "softCodeRepository_s": ["https://github.com/example/scikit-fake"],
                "softProgrammingLanguage_s": ["Python"],
                "softPlatform_s": ["Linux"],
                "softVersion_s": ["2.1"],
                "releasedDate_tdate": "2023-05-04T00:00:00Z",
                "licence_s": ['BSD 3-Clause "New" or "Revised" License'],
                "swhidId_s": [SWHID],
            },
            {
                "docid": 7654321,
                "halId_s": "hal-07654321",
                "docType_s": "SOFTWARE",
                "title_s": ["Hostile"],
                "uri_s": "javascript:alert(1)",
                "softCodeRepository_s": ["ftp://example.org/x", "https://example.org/ok"],
                "swhidId_s": ["not a swhid"],
                "authFullName_s": "Lone Author",
                "structName_s": ["Université Exemple"],
            },
            {"docid": 1, "halId_s": "hal-00000001", "docType_s": "ART", "title_s": ["An article"]},
        ],
    }


@pytest.fixture
def sources() -> Iterator[FakeSources]:
    with FakeSources(sources_seed()) as fake:
        yield fake


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def session_for(sleeps: list[float]) -> Callable[..., requests.Session]:
    """A source session that records its waits instead of sleeping them."""

    def make(**options: Any) -> requests.Session:
        options.setdefault("cache", MemoryHttpCache())
        return source_session(sleep=sleeps.append, **options)

    return make
