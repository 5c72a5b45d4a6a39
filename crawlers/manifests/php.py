"""Packagist: composer.json and composer.lock."""

from __future__ import annotations

import re

from crawlers.manifests.base import (
    DEVELOPMENT,
    RUNTIME,
    Declared,
    ManifestError,
    Parsed,
    text_field,
)
from crawlers.manifests.data import load_json

# The PHP runtime, its extensions and Composer itself are platform packages, not Packagist's.
_PLATFORM = re.compile(
    r"(php|hhvm|composer|composer-(plugin|runtime)-api|(ext|lib)-.*)", re.IGNORECASE
)


def parse_composer_json(text: str) -> Parsed:
    data = load_json(text)
    parsed = Parsed(
        package_name=text_field(data.get("name")), package_version=text_field(data.get("version"))
    )
    for section, scope in (("require", RUNTIME), ("require-dev", DEVELOPMENT)):
        entries = data.get(section) or {}
        if not isinstance(entries, dict):
            raise ManifestError(f'"{section}" should be an object')
        for name, requirement in entries.items():
            if not _PLATFORM.fullmatch(name):
                parsed.dependencies.append(Declared(name, text_field(requirement), scope=scope))
    return parsed


def parse_composer_lock(text: str) -> Parsed:
    data = load_json(text)
    parsed = Parsed()
    for section, scope in (("packages", RUNTIME), ("packages-dev", DEVELOPMENT)):
        entries = data.get(section) or []
        if not isinstance(entries, list):
            raise ManifestError(f'"{section}" should be an array')
        for entry in entries:
            if isinstance(entry, dict) and text_field(entry.get("name")):
                version = text_field(entry.get("version")).removeprefix("v")
                parsed.dependencies.append(
                    Declared(entry["name"], "", version, scope=scope, direct=None)
                )
    return parsed
