"""Seeds for the fake sources: builders of answers in the real formats, and the demo's seed.

The demo seed (:func:`demo_seed`) holds only facts that are public and true of the real SILL
entries, read at run time from ``../shared/data/sill/`` (``LOGITHEQUE_SHARED_DATA``):

- Wikidata items are the 60 ids of ``sill-2020.csv`` (``wikidata_entity``). Each item's label
  is the SILL's name (``sill.json`` ``i``, else the CSV's ``nom``); its descriptions are the
  SILL's own ``fr-desc`` / ``en-desc`` (else the CSV's ``fonction``, in French), standing in for
  Wikidata's; P856 website, P1324 repository and P2078 documentation are ``sill.json``'s
  ``website``, ``sources`` and ``doc``; P154 logo is the Commons file that ``sill.json``'s
  ``logo`` URL points to (``upload.wikimedia.org/wikipedia/commons/…/<file>``); P275 license is
  set only when the SILL's ``l`` names exactly one license of :data:`LICENSE_ITEMS` (SPDX's
  deprecated ``GPL-2.0`` counting as ``GPL-2.0-only``; ``-or-later`` ids and lists are left
  out), and the license items carry their SPDX id as P2479. The Wikidata ids of those license
  items are general knowledge.
- General knowledge (:data:`KNOWN`): developers (P178), programming languages (P277) and
  operating systems (P306) of well-known software, only where they are certain, with the
  Wikidata ids of those organisations, languages and systems. No versions: none is given
  rather than a wrong "latest" one.
- Comptoir du Libre: one software per ``sill.json`` entry carrying a ``co`` id: that id, the
  SILL's name, license, website and repository, and its Wikidata id when the CSV gives one.
  Providers and public users are left empty: we know none for certain.
- CNLL and HAL: empty (no provider, no research software known for certain).
- Logos: Commons serves a small generated PNG for each file name (:mod:`.png`), never the
  real logo.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote

STABLE_VERSION = "Q2804309"  # Wikidata's "stable version" (a P548 value)
BETA_VERSION = "Q3295609"
GREGORIAN = "http://www.wikidata.org/entity/Q1985727"

# License items: Q-id → (SPDX id, English label). The demo uses these only.
LICENSE_ITEMS: dict[str, tuple[str, str]] = {
    "Q334661": ("MIT", "MIT License"),
    "Q13785927": ("Apache-2.0", "Apache License, version 2.0"),
    "Q10513450": ("GPL-2.0-only", "GNU General Public License, version 2.0"),
    "Q10513445": ("GPL-3.0-only", "GNU General Public License, version 3.0"),
    "Q27017232": ("AGPL-3.0-only", "GNU Affero General Public License, version 3.0"),
    "Q25428413": ("MPL-2.0", "Mozilla Public License, version 2.0"),
}
# The SILL's license texts that name exactly one of them ("-or-later" variants are not mapped).
_SILL_LICENSES = {
    "MIT": "Q334661",
    "Apache-2.0": "Q13785927",
    "GPL-2.0": "Q10513450",
    "GPL-2.0-only": "Q10513450",
    "GPL-3.0": "Q10513445",
    "GPL-3.0-only": "Q10513445",
    "AGPL-3.0": "Q27017232",
    "AGPL-3.0-only": "Q27017232",
    "MPL-2.0": "Q25428413",
}
# Items the demo's statements point to, with their labels (fr, en).
REFERENCED: dict[str, tuple[str, str]] = {
    "Q55672": ("Fondation Mozilla", "Mozilla Foundation"),
    "Q180": ("Wikimedia Foundation", "Wikimedia Foundation"),
    "Q489913": ("Apache Software Foundation", "Apache Software Foundation"),
    "Q2407": ("C++", "C++"),
    "Q15777": ("C", "C"),
    "Q251": ("Java", "Java"),
    "Q2005": ("JavaScript", "JavaScript"),
    "Q59": ("PHP", "PHP"),
    "Q28865": ("Python", "Python"),
    "Q161053": ("Ruby", "Ruby"),
    "Q575650": ("Rust", "Rust"),
    "Q2370": ("C#", "C#"),
    "Q388": ("Linux", "Linux"),
    "Q1406": ("Microsoft Windows", "Microsoft Windows"),
    "Q14116": ("macOS", "macOS"),
    "Q94": ("Android", "Android"),
}
LINUX, WINDOWS, MACOS, ANDROID = "Q388", "Q1406", "Q14116", "Q94"
DESKTOP = (LINUX, WINDOWS, MACOS)


@dataclass(frozen=True)
class Known:
    """What is certain about a well-known software (Wikidata ids of the referenced items)."""

    developers: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    systems: tuple[str, ...] = ()


KNOWN: dict[str, Known] = {
    "Q698": Known(("Q55672",), ("Q2407", "Q2005", "Q575650"), (*DESKTOP, ANDROID)),  # Firefox
    "Q483604": Known(("Q55672",), ("Q2407", "Q2005"), DESKTOP),  # Thunderbird
    "Q83": Known(("Q180",), ("Q59",)),  # MediaWiki
    "Q11354": Known(("Q489913",), ("Q15777",)),  # Apache HTTP Server
    "Q507430": Known(("Q489913",), ("Q251",)),  # Apache Tomcat
    "Q139941": Known(("Q489913",), ("Q251",)),  # Apache Maven
    "Q616885": Known(("Q489913",), ("Q251",)),  # Apache JMeter
    "Q2858103": Known(("Q489913",), ("Q251",)),  # Apache Solr
    "Q10135": Known((), ("Q2407",), DESKTOP),  # LibreOffice
    "Q8038": Known((), ("Q15777",), DESKTOP),  # GIMP
    "Q8041": Known((), ("Q2407",), DESKTOP),  # Inkscape
    "Q171477": Known((), ("Q15777",), (*DESKTOP, ANDROID)),  # VLC
    "Q191782": Known((), ("Q2407",), DESKTOP),  # Audacity
    "Q1329181": Known((), ("Q2407",), DESKTOP),  # QGIS
    "Q186055": Known((), ("Q15777",)),  # Git
    "Q170855": Known((), ("Q59",)),  # Drupal
    "Q13166": Known((), ("Q59",)),  # WordPress
    "Q25874683": Known((), ("Q59",)),  # Nextcloud
    "Q27986619": Known((), ("Q161053",)),  # Mastodon
    "Q15054354": Known((), ("Q161053",)),  # Discourse
    "Q1149365": Known((), ("Q161053",)),  # Redmine
    "Q2852503": Known((), ("Q28865",)),  # Ansible
    "Q7491312": Known((), ("Q251",)),  # Jenkins
    "Q762660": Known((), ("Q2370",), (WINDOWS,)),  # KeePass
    "Q215051": Known((), ("Q2407",), (WINDOWS,)),  # 7-Zip
}


# -- Wikidata builders (the wbgetentities JSON shape) ----------------------------------------------


@dataclass(frozen=True)
class VersionClaim:
    """A P348 statement: the number, its P577 date, its rank and P548 version type."""

    number: str
    published: dt.date | None = None
    rank: str = "normal"
    version_type: str = ""


def snak(prop: str, datatype: str, value: Any, value_type: str) -> dict[str, Any]:
    return {
        "snaktype": "value",
        "property": prop,
        "datavalue": {"value": value, "type": value_type},
        "datatype": datatype,
    }


def item_snak(prop: str, qid: str) -> dict[str, Any]:
    value = {"entity-type": "item", "numeric-id": int(qid[1:]), "id": qid}
    return snak(prop, "wikibase-item", value, "wikibase-entityid")


def string_snak(prop: str, value: str, datatype: str = "string") -> dict[str, Any]:
    return snak(prop, datatype, value, "string")


def time_snak(prop: str, day: dt.date) -> dict[str, Any]:
    value = {
        "time": f"+{day.isoformat()}T00:00:00Z",
        "timezone": 0,
        "before": 0,
        "after": 0,
        "precision": 11,
        "calendarmodel": GREGORIAN,
    }
    return snak(prop, "time", value, "time")


def statement(
    subject: str,
    mainsnak: dict[str, Any],
    *,
    rank: str = "normal",
    qualifiers: Sequence[dict[str, Any]] = (),
) -> dict[str, Any]:
    digest = hashlib.sha1(json.dumps([subject, mainsnak], sort_keys=True).encode()).hexdigest()  # noqa: S324
    claim: dict[str, Any] = {
        "mainsnak": mainsnak,
        "type": "statement",
        "id": f"{subject}${digest[:8]}-{digest[8:12]}-{digest[12:16]}-{digest[16:20]}-{digest[20:32]}",
        "rank": rank,
        "references": [],
    }
    if qualifiers:
        grouped: dict[str, list[dict[str, Any]]] = {}
        for qualifier in qualifiers:
            grouped.setdefault(qualifier["property"], []).append(qualifier)
        claim["qualifiers"] = grouped
        claim["qualifiers-order"] = list(grouped)
    return claim


def _terms(values: Mapping[str, str]) -> dict[str, Any]:
    return {lang: {"language": lang, "value": value} for lang, value in values.items() if value}


def wikidata_item(
    qid: str,
    *,
    labels: Mapping[str, str],
    descriptions: Mapping[str, str] | None = None,
    aliases: Mapping[str, Sequence[str]] | None = None,
    logo: str = "",
    website: str = "",
    repository: str = "",
    documentation: str = "",
    licenses: Iterable[str] = (),
    versions: Iterable[VersionClaim] = (),
    developers: Iterable[str] = (),
    languages: Iterable[str] = (),
    systems: Iterable[str] = (),
    spdx: str = "",
) -> dict[str, Any]:
    """One entity as wbgetentities returns it (labels, descriptions, aliases, claims)."""
    claims: dict[str, list[dict[str, Any]]] = {}

    def add(prop: str, mainsnak: dict[str, Any], **options: Any) -> None:
        claims.setdefault(prop, []).append(statement(qid, mainsnak, **options))

    if logo:
        add("P154", string_snak("P154", logo, "commonsMedia"))
    for prop, value in (("P856", website), ("P1324", repository), ("P2078", documentation)):
        if value:
            add(prop, string_snak(prop, value, "url"))
    if spdx:
        add("P2479", string_snak("P2479", spdx, "external-id"))
    for prop, targets in (("P275", licenses), ("P178", developers), ("P277", languages)):
        for target in targets:
            add(prop, item_snak(prop, target))
    for target in systems:
        add("P306", item_snak("P306", target))
    for version in versions:
        qualifiers = []
        if version.published:
            qualifiers.append(time_snak("P577", version.published))
        if version.version_type:
            qualifiers.append(item_snak("P548", version.version_type))
        add("P348", string_snak("P348", version.number), rank=version.rank, qualifiers=qualifiers)
    return {
        "type": "item",
        "id": qid,
        "labels": _terms(labels),
        "descriptions": _terms(descriptions or {}),
        "aliases": {
            lang: [{"language": lang, "value": v} for v in values]
            for lang, values in (aliases or {}).items()
        },
        "claims": claims,
    }


def license_items() -> dict[str, dict[str, Any]]:
    return {
        qid: wikidata_item(qid, labels={"en": label}, spdx=spdx)
        for qid, (spdx, label) in LICENSE_ITEMS.items()
    }


def referenced_items() -> dict[str, dict[str, Any]]:
    return {
        qid: wikidata_item(qid, labels={"fr": fr, "en": en}) for qid, (fr, en) in REFERENCED.items()
    }


# -- the demo seed ------------------------------------------------------------------------------------

_COMMONS_FILE = re.compile(
    r"^https://upload\.wikimedia\.org/wikipedia/commons/(?:thumb/)?[0-9a-f]/[0-9a-f]{2}/([^/]+)"
)


def shared_data_dir() -> Path:
    """``LOGITHEQUE_SHARED_DATA``, else ``../shared/data`` beside the checkout."""
    configured = os.environ.get("LOGITHEQUE_SHARED_DATA", "").strip()
    if configured:
        return Path(configured)
    return Path(__file__).resolve().parents[3].parent / "shared" / "data"


def _fold(name: str) -> str:
    return re.sub(r"[\s.\-]", "", name.casefold())


def commons_file(logo_url: str) -> str:
    """The Commons file name a upload.wikimedia.org URL points to, else ""."""
    found = _COMMONS_FILE.match(logo_url or "")
    return unquote(found.group(1)) if found else ""


def demo_seed(sill_dir: str | Path | None = None) -> dict[str, Any]:
    """The fake sources' data for the demo: see the module docstring for where each fact comes from."""
    sill_dir = Path(sill_dir) if sill_dir else shared_data_dir() / "sill"
    entries = json.loads((sill_dir / "sill.json").read_text(encoding="utf-8"))
    with (sill_dir / "sill-2020.csv").open(encoding="utf-8", newline="") as rows:
        linked = [r for r in csv.DictReader(rows) if (r.get("wikidata_entity") or "").strip()]
    by_name = {_fold(e["i"]): e for e in entries}
    wikidata = license_items() | referenced_items()
    files: list[str] = []
    qid_by_sill_id: dict[str, str] = {}
    for row in linked:
        qid = row["wikidata_entity"].strip()
        entry = by_name.get(_fold(row["nom"]))
        known = KNOWN.get(qid, Known())
        if entry is None:
            wikidata[qid] = wikidata_item(
                qid,
                labels={"fr": row["nom"].strip(), "en": row["nom"].strip()},
                descriptions={"fr": (row.get("fonction") or "").strip()},
                developers=known.developers,
                languages=known.languages,
                systems=known.systems,
            )
            continue
        qid_by_sill_id[entry["id"]] = qid
        logo = commons_file(entry.get("logo") or "")
        if logo:
            files.append(logo)
        license_qid = _SILL_LICENSES.get((entry.get("l") or "").strip())
        wikidata[qid] = wikidata_item(
            qid,
            labels={"fr": entry["i"], "en": entry["i"]},
            descriptions={"fr": entry.get("fr-desc") or "", "en": entry.get("en-desc") or ""},
            logo=logo,
            website=entry.get("website") or "",
            repository=entry.get("sources") or "",
            documentation=entry.get("doc") or "",
            licenses=[license_qid] if license_qid else [],
            developers=known.developers,
            languages=known.languages,
            systems=known.systems,
        )
    return {
        "wikidata": wikidata,
        "commons": files,
        "comptoir": {
            "date_of_export": "",
            "softwares": [
                _comptoir_software(e, qid_by_sill_id.get(e["id"], ""))
                for e in entries
                if (e.get("co") or "").strip().isdigit()
            ],
        },
        "cnll": [],
        "hal": [],
    }


def _comptoir_software(entry: Mapping[str, Any], qid: str) -> dict[str, Any]:
    number = int(entry["co"])
    wikidata: dict[str, Any] | list[Any] = []
    if qid:
        wikidata = {
            "id": qid,
            "url": f"https://www.wikidata.org/wiki/{qid}",
            "data": f"https://www.wikidata.org/wiki/Special:EntityData/{qid}.json",
        }
    return {
        "id": number,
        "url": f"https://comptoir-du-libre.org/fr/softwares/{number}",
        "name": entry["i"],
        "licence": entry.get("l") or "",
        "external_resources": {
            "website": entry.get("website") or None,
            "repository": entry.get("sources") or None,
            "wikidata": wikidata,
        },
        "providers": [],
        "users": [],
    }
