"""Manifests and lock files in a repository's root: which to read, and the dependencies they declare.

Files are parsed as data by well-kept parsers (json, tomllib, packaging, defusedxml), never run;
each is bounded in size, the number of files and of dependencies per repository is capped, and a
file that cannot be read is recorded as such instead of failing anything.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from crawlers.manifests import javascript, jvm, others, php, python
from crawlers.manifests.base import RUNTIME, Declared, ManifestError, Parsed, normalize_name
from crawlers.records import DependencyRecord, ManifestRecord

__all__ = [
    "ECOSYSTEMS",
    "FIXED_NAMES",
    "MAX_DEPENDENCIES",
    "MAX_MANIFESTS",
    "MAX_MANIFEST_BYTES",
    "manifest_names",
    "read_manifests",
]

MAX_MANIFEST_BYTES = 2_000_000  # a large package-lock.json is about 1 MB
MAX_MANIFESTS = 12
MAX_DEPENDENCIES = 2000

ECOSYSTEMS = ("npm", "pypi", "packagist", "maven", "rubygems", "go", "cargo", "nuget")


@dataclass(frozen=True)
class Format:
    pattern: str  # a file name, or a glob for requirements*.txt and *.csproj (lower case)
    ecosystem: str
    kind: str  # "manifest" or "lock"
    parse: Callable[[str], Parsed]


FORMATS = (
    Format("package.json", "npm", "manifest", javascript.parse_package_json),
    Format("package-lock.json", "npm", "lock", javascript.parse_package_lock),
    Format("pyproject.toml", "pypi", "manifest", python.parse_pyproject),
    Format("requirements*.txt", "pypi", "manifest", python.parse_requirements),
    Format("pipfile.lock", "pypi", "lock", python.parse_pipfile_lock),
    Format("poetry.lock", "pypi", "lock", python.parse_poetry_lock),
    Format("composer.json", "packagist", "manifest", php.parse_composer_json),
    Format("composer.lock", "packagist", "lock", php.parse_composer_lock),
    Format("pom.xml", "maven", "manifest", jvm.parse_pom),
    Format("build.gradle", "maven", "manifest", jvm.parse_build_gradle),
    Format("gemfile.lock", "rubygems", "lock", others.parse_gemfile_lock),
    Format("go.mod", "go", "manifest", others.parse_go_mod),
    Format("cargo.toml", "cargo", "manifest", others.parse_cargo_toml),
    Format("cargo.lock", "cargo", "lock", others.parse_cargo_lock),
    Format("*.csproj", "nuget", "manifest", others.parse_csproj),
)
# The names a batched query asks for before seeing the root (as projects usually spell them);
# others the root shows (App.csproj, requirements-docs.txt) cost one more query per batch.
FIXED_NAMES = (
    "package.json",
    "package-lock.json",
    "pyproject.toml",
    "requirements.txt",
    "requirements-dev.txt",
    "requirements_dev.txt",
    "requirements-test.txt",
    "Pipfile.lock",
    "poetry.lock",
    "composer.json",
    "composer.lock",
    "pom.xml",
    "build.gradle",
    "Gemfile.lock",
    "go.mod",
    "Cargo.toml",
    "Cargo.lock",
)


def _format(name: str) -> Format | None:
    lowered = name.lower()
    return next((f for f in FORMATS if fnmatch.fnmatchcase(lowered, f.pattern)), None)


def manifest_names(names: Iterable[str]) -> list[str]:
    """The root file names worth reading, manifests before lock files, at most MAX_MANIFESTS."""
    found = [name for name in names if _format(name) is not None]
    found.sort(key=lambda name: (_format(name).kind != "manifest", name.lower()))
    return found[:MAX_MANIFESTS]


def read_manifests(
    names: Iterable[str], read: Callable[[str], bytes | None]
) -> tuple[tuple[ManifestRecord, ...], tuple[DependencyRecord, ...]]:
    """Read and parse the manifests among a root's file ``names``; ``read`` gives a file's bytes
    (None when the forge would not give them). Never raises for a file's content."""
    manifests: list[ManifestRecord] = []
    declared: list[tuple[Format, str, Declared]] = []
    for name in manifest_names(names):
        spec = _format(name)
        record, found = _parse(name, spec, read(name))
        manifests.append(record)
        declared.extend((spec, name, item) for item in found)
    dependencies, dropped = _merge(declared)
    if dropped:
        manifests = [
            _noting(m, f"{dropped} dependencies beyond the first {MAX_DEPENDENCIES} were not kept")
            if m.status == "parsed"
            else m
            for m in manifests
        ]
    return tuple(manifests), dependencies


def _noting(record: ManifestRecord, error: str) -> ManifestRecord:
    return ManifestRecord(**{**_fields(record), "error": error})


def _fields(record: ManifestRecord) -> dict:
    return {name: getattr(record, name) for name in ManifestRecord.__slots__}


def _parse(name: str, spec: Format, content: bytes | None) -> tuple[ManifestRecord, list[Declared]]:
    base = {"path": name, "ecosystem": spec.ecosystem, "kind": spec.kind}
    if content is None:
        return ManifestRecord(
            **base, status="unreadable", error="the forge did not give its content"
        ), []
    if len(content) > MAX_MANIFEST_BYTES:
        return ManifestRecord(
            **base, status="too_large", error=f"larger than {MAX_MANIFEST_BYTES} bytes"
        ), []
    text = content.decode("utf-8-sig", errors="replace").replace("\x00", "")
    try:
        if spec.parse is python.parse_requirements:
            parsed = python.parse_requirements(text, file_name=name.lower())
        else:
            parsed = spec.parse(text)
    except ManifestError as exc:
        return ManifestRecord(**base, status="malformed", error=str(exc)[:500]), []
    found = [d for d in parsed.dependencies if normalize_name(spec.ecosystem, d.name)]
    return ManifestRecord(
        **base,
        dependencies=len(found),
        package_name=normalize_name(spec.ecosystem, parsed.package_name)[:300],
        package_version=parsed.package_version[:100],
    ), found


def _merge(
    declared: list[tuple[Format, str, Declared]],
) -> tuple[tuple[DependencyRecord, ...], int]:
    """One record per (ecosystem, name): the manifest's constraint, the lock's version.

    A package a manifest declares is direct; one only a lock lists is transitive unless the
    lock itself says it is direct; runtime wins over development.
    """
    merged: dict[tuple[str, str], dict] = {}
    # Manifests first, so their constraints and scopes are what locks complete.
    for spec, path, item in sorted(declared, key=lambda entry: entry[0].kind != "manifest"):
        key = (spec.ecosystem, normalize_name(spec.ecosystem, item.name))
        entry = merged.get(key)
        if entry is None:
            merged[key] = {
                "ecosystem": key[0],
                "name": key[1],
                "requirement": item.requirement,
                "resolved_version": item.resolved_version,
                "scope": item.scope,
                "direct": item.direct is not False
                and (item.direct is True or spec.kind == "manifest"),
                "manifest": path,
            }
            continue
        entry["requirement"] = entry["requirement"] or item.requirement
        entry["resolved_version"] = entry["resolved_version"] or item.resolved_version
        if item.scope == RUNTIME and (spec.kind == "manifest" or not entry["direct"]):
            entry["scope"] = RUNTIME
    records = [
        DependencyRecord(
            **{
                **entry,
                "name": entry["name"][:300],
                "requirement": entry["requirement"][:200],
                "resolved_version": entry["resolved_version"][:100],
            }
        )
        for entry in merged.values()
    ]
    # Direct dependencies are kept first when a repository declares too many.
    records.sort(key=lambda record: not record.direct)
    return tuple(records[:MAX_DEPENDENCIES]), max(0, len(records) - MAX_DEPENDENCIES)
