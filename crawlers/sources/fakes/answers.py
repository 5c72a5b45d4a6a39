"""What each fake source answers, in the real services' formats (see the package docstring)."""

from __future__ import annotations

import copy
import hashlib
import re
from typing import Any
from urllib.parse import quote

from crawlers.fakeforge.common import Response, json_response
from crawlers.sources.fakes.png import generated_png

WIKIDATA_MAX_IDS = 50  # wbgetentities' limit for ordinary clients
WIKIDATA_ID = re.compile(r"[QPL][1-9]\d{0,11}")
WIKIDATA_PROPS = ("labels", "descriptions", "aliases", "claims", "sitelinks")
HAL_DEFAULT_ROWS = 30
HAL_MAX_ROWS = 10_000
HAL_KEPT_WHEN_DROPPING = ("docid", "halId_s", "title_s")
NOT_FOUND_PAGE = (
    b"<!DOCTYPE html><html><head><title>404 Not Found</title></head>"
    b"<body><h1>Not Found</h1></body></html>\n"
)


def not_found() -> Response:
    return Response(status=404, body=NOT_FOUND_PAGE, content_type="text/html; charset=utf-8")


# -- Wikidata (MediaWiki action API) ---------------------------------------------------------------


def _api_error(code: str, info: str) -> Response:
    # MediaWiki answers API errors with 200 and an "error" object.
    return json_response({"error": {"code": code, "info": info}, "servedby": "fake-mw"})


def wikidata_api(seed: dict[str, Any], query: dict[str, str], *, drop: bool) -> Response:
    action = query.get("action", "")
    if query.get("format") != "json":
        return Response(
            status=200,
            body=b"<!DOCTYPE html><html><body>MediaWiki API help</body></html>",
            content_type="text/html; charset=utf-8",
        )
    if action == "wbgetentities":
        return _wbgetentities(seed.get("wikidata") or {}, query, drop=drop)
    if action == "wbsearchentities":
        return _wbsearchentities(seed.get("wikidata") or {}, query)
    return _api_error("badvalue", f'Unrecognized value for parameter "action": {action}.')


def _wbgetentities(entities: dict[str, Any], query: dict[str, str], *, drop: bool) -> Response:
    ids = [i for i in query.get("ids", "").split("|") if i]
    if not ids:
        return _api_error("param-missing", "Either provide the item ids or a site-title pair.")
    if len(ids) > WIKIDATA_MAX_IDS:
        return _api_error(
            "toomanyvalues",
            f'Too many values supplied for parameter "ids". The limit is {WIKIDATA_MAX_IDS}.',
        )
    for entity_id in ids:
        if not WIKIDATA_ID.fullmatch(entity_id):
            return _api_error(
                "no-such-entity", f'Could not find an entity with the ID "{entity_id}".'
            )
    props = query.get("props", "|".join(WIKIDATA_PROPS)).split("|")
    languages = [lang for lang in query.get("languages", "").split("|") if lang]
    answer: dict[str, Any] = {}
    for asked in ids:
        entity_id = (entities.get(asked) or {}).get("redirect", asked)
        stored = entities.get(entity_id)
        if stored is None:
            answer[asked] = {"id": asked, "missing": ""}
            continue
        entity: dict[str, Any] = {"type": "item", "id": entity_id}
        if entity_id != asked:
            entity["redirects"] = {"from": asked, "to": entity_id}
        for prop in WIKIDATA_PROPS:
            if prop not in props or prop not in stored:
                continue
            if drop and prop in ("claims", "descriptions"):
                continue
            value = copy.deepcopy(stored[prop])
            if (
                languages
                and prop in ("labels", "descriptions", "aliases")
                and isinstance(value, dict)
            ):
                value = {lang: v for lang, v in value.items() if lang in languages}
            entity[prop] = value
        answer[entity_id] = entity
    return json_response({"entities": answer, "success": 1})


def _wbsearchentities(entities: dict[str, Any], query: dict[str, str]) -> Response:
    term = query.get("search", "").strip().casefold()
    language = query.get("language", "")
    if not term or not language:
        return _api_error("param-missing", 'The "search" and "language" parameters must be set.')
    try:
        limit = max(1, min(50, int(query.get("limit", "7"))))
    except ValueError:
        return _api_error("badinteger", 'Invalid value for parameter "limit".')
    hits: list[dict[str, Any]] = []
    for entity_id, entity in entities.items():
        label = ((entity.get("labels") or {}).get(language) or {}).get("value", "")
        aliases = [a.get("value", "") for a in (entity.get("aliases") or {}).get(language, [])]
        matched = next((n for n in [label, *aliases] if n.casefold().startswith(term)), None)
        if matched is None:
            continue
        description = ((entity.get("descriptions") or {}).get(language) or {}).get("value", "")
        hit: dict[str, Any] = {
            "id": entity_id,
            "title": entity_id,
            "pageid": int(entity_id[1:]),
            "concepturi": f"http://www.wikidata.org/entity/{entity_id}",
            "repository": "wikidata",
            "url": f"//www.wikidata.org/wiki/{entity_id}",
            "display": {"label": {"value": label, "language": language}},
            "label": label,
            "match": {
                "type": "label" if matched == label else "alias",
                "language": language,
                "text": matched,
            },
        }
        if description:
            hit["display"]["description"] = {"value": description, "language": language}
            hit["description"] = description
        hits.append(hit)
    answer: dict[str, Any] = {"searchinfo": {"search": query.get("search", "")}, "search": []}
    answer["search"] = hits[:limit]
    if len(hits) > limit:
        answer["search-continue"] = limit
    answer["success"] = 1
    return json_response(answer)


# -- Wikimedia Commons ------------------------------------------------------------------------------


def commons_name(name: str) -> str:
    """A Commons file name as Commons stores it: underscores for spaces, first letter upper."""
    name = name.strip().replace(" ", "_")
    return name[:1].upper() + name[1:]


def commons_upload_path(name: str) -> str:
    """Where Commons keeps a file: /wikipedia/commons/<md5[0]>/<md5[:2]>/<name>."""
    stored = commons_name(name)
    digest = hashlib.md5(stored.encode()).hexdigest()  # noqa: S324 - Commons' path rule, not security
    return f"/wikipedia/commons/{digest[0]}/{digest[:2]}/{quote(stored)}"


def commons(seed: dict[str, Any], segments: list[str], origin: str) -> Response:
    served = {commons_name(k): v for k, v in (seed.get("commons_served") or {}).items()}
    files = {commons_name(f) for f in seed.get("commons") or []} | set(served)
    if len(segments) == 3 and segments[:2] == ["wiki", "Special:FilePath"]:
        name = commons_name(segments[2])
        if name not in files:
            return not_found()
        if "location" in served.get(name, {}):  # a test's redirect elsewhere
            return Response(status=302, headers={"Location": served[name]["location"]})
        location = f"{origin}/commons/upload{commons_upload_path(name)}"
        return Response(status=302, headers={"Location": location}, content_type="text/html")
    if segments[:3] == ["upload", "wikipedia", "commons"] and len(segments) == 6:
        name = segments[5]
        if name not in files or f"/{'/'.join(segments[1:])}" != commons_upload_path(name):
            return not_found()
        if name in served:  # a test's file: {"content_type": ..., "body": text}
            body = str(served[name].get("body", "")).encode()
            return Response(status=200, body=body, content_type=served[name]["content_type"])
        # Every fake logo is a generated PNG, whatever the file's extension says.
        return Response(status=200, body=generated_png(name), content_type="image/png")
    return not_found()


# -- Comptoir du Libre, CNLL ------------------------------------------------------------------------


def comptoir_export(seed: dict[str, Any], *, drop: bool) -> Response:
    export = copy.deepcopy(seed.get("comptoir") or {"date_of_export": "", "softwares": []})
    if not isinstance(export, dict):  # a test serving another shape
        return json_response(export)
    softwares = export.get("softwares") or []
    export["number_of_software"] = len(softwares)
    if drop:
        for software in _objects(softwares):
            for name in ("providers", "users", "external_resources", "licence"):
                software.pop(name, None)
    return json_response(export)


def cnll_providers(seed: dict[str, Any], *, drop: bool) -> Response:
    entries = copy.deepcopy(seed.get("cnll") or [])
    if drop:
        for entry in _objects(entries):
            for provider in _objects(entry.get("prestataires")):
                provider.pop("siren", None)
                provider.pop("url", None)
    return json_response(entries)


def _objects(items: Any) -> list[dict[str, Any]]:
    """The objects of a seed list (tests seed hostile entries of other types too)."""
    return [i for i in items if isinstance(i, dict)] if isinstance(items, list) else []


# -- HAL (Solr search API) --------------------------------------------------------------------------

_ID_GROUP = re.compile(r"(halId_s|docid):\(([^)]*)\)")
_ESCAPE = re.compile(r"\\(.)")


def _hal_matches(doc: dict[str, Any], query: str) -> bool:
    groups = _ID_GROUP.findall(query)
    if groups:  # halId_s:("a" OR "b") OR docid:(1 OR 2)
        wanted = {
            (field, value.strip('"')) for field, values in groups for value in values.split(" OR ")
        }
        return ("halId_s", str(doc.get("halId_s"))) in wanted or (
            "docid",
            str(doc.get("docid")),
        ) in wanted
    if query in ("", "*:*"):
        return True
    words = _ESCAPE.sub(r"\1", query).casefold().split()
    haystack = " ".join(
        str(value)
        for name in ("title_s", "abstract_s", "keyword_s", "authFullName_s")
        for value in (doc.get(name) if isinstance(doc.get(name), list) else [doc.get(name)])
        if value
    ).casefold()
    return all(word in haystack for word in words)


def hal_search(seed: dict[str, Any], query: dict[str, str], *, drop: bool) -> Response:
    if query.get("wt", "json") != "json":
        return Response(status=200, body=b"<response/>", content_type="application/xml")
    try:
        rows = min(HAL_MAX_ROWS, max(0, int(query.get("rows", HAL_DEFAULT_ROWS))))
        start = max(0, int(query.get("start", "0")))
    except ValueError:
        return json_response(
            {"error": {"msg": "rows and start must be integers", "code": 400}}, status=400
        )
    docs = [d for d in seed.get("hal") or [] if _hal_matches(d, query.get("q", "*:*"))]
    for constraint in query.get("fq", "").split(" AND "):
        name, _, value = constraint.partition(":")
        if name and value:
            docs = [d for d in docs if str(d.get(name, "")) == value]
    fields = [f for f in query.get("fl", "").split(",") if f and f != "*"]
    page = []
    for doc in docs[start : start + rows]:
        kept = {k: v for k, v in doc.items() if not fields or k in fields}
        if drop:
            kept = {k: v for k, v in kept.items() if k in HAL_KEPT_WHEN_DROPPING}
        page.append(kept)
    return json_response(
        {
            "response": {"numFound": len(docs), "start": start, "docs": page},
        }
    )
