"""Loading JSON, TOML and XML safely: bounded, never executing anything, errors as ManifestError."""

from __future__ import annotations

import json
import tomllib
from typing import Any
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree
from defusedxml import DefusedXmlException

from crawlers.manifests.base import ManifestError


def load_json(text: str) -> dict[str, Any]:
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise ManifestError(f"not valid JSON: {exc}") from None
    if not isinstance(data, dict):
        raise ManifestError(f"should be a JSON object, not {type(data).__name__}")
    return data


def load_toml(text: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except (tomllib.TOMLDecodeError, RecursionError) as exc:
        raise ManifestError(f"not valid TOML: {exc}") from None


def lock_packages(text: str) -> list[dict[str, Any]]:
    """The ``[[package]]`` tables of a TOML lock file (poetry.lock, Cargo.lock)."""
    packages = load_toml(text).get("package") or []
    if not isinstance(packages, list):
        raise ManifestError('"package" should be an array of tables')
    return [package for package in packages if isinstance(package, dict)]


def load_xml(text: str) -> Element:
    """The root element; DTDs, entities and external references are refused (defusedxml)."""
    try:
        return defusedxml.ElementTree.fromstring(
            text, forbid_dtd=True, forbid_entities=True, forbid_external=True
        )
    except DefusedXmlException as exc:
        raise ManifestError(f"refused XML construct: {type(exc).__name__}") from None
    except (ParseError, RecursionError) as exc:
        raise ManifestError(f"not valid XML: {exc}") from None


def local_name(element: Element) -> str:
    """A tag without its namespace ({http://maven.apache.org/POM/4.0.0}project → project)."""
    return element.tag.rpartition("}")[2] if isinstance(element.tag, str) else ""


def children(element: Element | None, name: str) -> list[Element]:
    if element is None:
        return []
    return [child for child in element if local_name(child) == name]


def child_text(element: Element | None, name: str) -> str:
    found = children(element, name)
    return (found[0].text or "").strip() if found else ""
