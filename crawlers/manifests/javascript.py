"""npm: package.json and package-lock.json (lockfile versions 1 to 3)."""

from __future__ import annotations

from typing import Any

from crawlers.manifests.base import (
    DEVELOPMENT,
    RUNTIME,
    Declared,
    ManifestError,
    Parsed,
    text_field,
)
from crawlers.manifests.data import load_json

SECTIONS = (
    ("dependencies", RUNTIME),
    ("peerDependencies", RUNTIME),
    ("optionalDependencies", RUNTIME),
    ("devDependencies", DEVELOPMENT),
)


def parse_package_json(text: str) -> Parsed:
    data = load_json(text)
    parsed = Parsed(
        package_name="" if data.get("private") is True else text_field(data.get("name")),
        package_version=text_field(data.get("version")),
    )
    for section, scope in SECTIONS:
        entries = data.get(section) or {}
        if not isinstance(entries, dict):
            raise ManifestError(f'"{section}" should be an object')
        for name, requirement in entries.items():
            parsed.dependencies.append(Declared(name, text_field(requirement), scope=scope))
    return parsed


def parse_package_lock(text: str) -> Parsed:
    data = load_json(text)
    parsed = Parsed()
    packages = data.get("packages")
    if isinstance(packages, dict):  # lockfileVersion 2 and 3: keyed by install path
        for path, entry in packages.items():
            if not path or not isinstance(entry, dict) or entry.get("link") is True:
                continue
            name = text_field(entry.get("name")) or path.rpartition("node_modules/")[2]
            _add(parsed, name, entry)
        return parsed
    dependencies = data.get("dependencies")
    if not isinstance(dependencies, dict):
        raise ManifestError('neither "packages" nor "dependencies" is an object')
    _walk_v1(parsed, dependencies, depth=0)
    return parsed


def _add(parsed: Parsed, name: str, entry: dict[str, Any]) -> None:
    version = text_field(entry.get("version"))
    if name and version:
        scope = DEVELOPMENT if entry.get("dev") is True else RUNTIME
        parsed.dependencies.append(Declared(name, "", version, scope=scope, direct=None))


def _walk_v1(parsed: Parsed, dependencies: dict[str, Any], *, depth: int) -> None:
    if depth > 50:
        raise ManifestError("dependencies are nested more than 50 levels deep")
    for name, entry in dependencies.items():
        if isinstance(entry, dict):
            _add(parsed, name, entry)
            nested = entry.get("dependencies")
            if isinstance(nested, dict):
                _walk_v1(parsed, nested, depth=depth + 1)
