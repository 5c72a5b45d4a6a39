"""RubyGems (Gemfile.lock), Go (go.mod), crates.io (Cargo.toml, Cargo.lock), NuGet (*.csproj)."""

from __future__ import annotations

import re
from typing import Any

from crawlers.manifests.base import (
    DEVELOPMENT,
    RUNTIME,
    Declared,
    ManifestError,
    Parsed,
    text_field,
)
from crawlers.manifests.data import children, load_toml, load_xml, local_name, lock_packages

_GEM_SPEC = re.compile(r"^    (?P<name>[^\s(]+) \((?P<version>[^)]+)\)$")
_GEM_DEPENDENCY = re.compile(r"^  (?P<name>[^\s(!]+)!?(?: \((?P<requirement>[^)]+)\))?$")


def parse_gemfile_lock(text: str) -> Parsed:
    """Resolved gems from the GEM specs, direct ones from DEPENDENCIES."""
    section, resolved, direct = "", {}, {}
    for line in text.splitlines():
        if line and not line.startswith(" "):
            section = line.strip()
            continue
        if section in ("GEM", "GIT", "PATH"):
            match = _GEM_SPEC.match(line)
            if match:
                resolved[match["name"]] = match["version"].split("-")[0]
        elif section == "DEPENDENCIES":
            match = _GEM_DEPENDENCY.match(line)
            if match:
                direct[match["name"]] = match["requirement"] or ""
    if not resolved and not direct:
        raise ManifestError("no GEM specs and no DEPENDENCIES section")
    parsed = Parsed()
    for name in {**resolved, **direct}:
        parsed.dependencies.append(
            Declared(name, direct.get(name, ""), resolved.get(name, ""), direct=name in direct)
        )
    return parsed


_GO_REQUIRE = re.compile(r"^(?:require\s+)?(?P<path>[^\s()]+)\s+(?P<version>v[^\s]+)(?P<rest>.*)$")


def parse_go_mod(text: str) -> Parsed:
    parsed = Parsed()
    in_block = False
    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("module "):
            parsed.package_name = line.split()[1].strip('"') if len(line.split()) > 1 else ""
        elif line.startswith("require ("):
            in_block = True
        elif in_block and line.startswith(")"):
            in_block = False
        elif (in_block and line and not line.startswith("//")) or line.startswith("require "):
            match = _GO_REQUIRE.match(line)
            if match is None:
                raise ManifestError(f"unreadable require line {line[:80]!r}")
            version = match["version"].removeprefix("v")
            direct = "// indirect" not in match["rest"]
            parsed.dependencies.append(
                Declared(match["path"], match["version"], version, direct=direct)
            )
    if not parsed.package_name:
        raise ManifestError("no module line")
    return parsed


_CARGO_SECTIONS = (
    ("dependencies", RUNTIME),
    ("dev-dependencies", DEVELOPMENT),
    ("build-dependencies", DEVELOPMENT),
)


def parse_cargo_toml(text: str) -> Parsed:
    data = load_toml(text)
    package = data.get("package") if isinstance(data.get("package"), dict) else {}
    version = package.get("version")
    parsed = Parsed(
        package_name=text_field(package.get("name")),
        package_version=version if isinstance(version, str) else "",
    )
    tables = [data, *(t for t in (data.get("target") or {}).values() if isinstance(t, dict))]
    workspace = data.get("workspace")
    if isinstance(workspace, dict):
        tables.append(workspace)
    for table in tables:
        for section, scope in _CARGO_SECTIONS:
            entries = table.get(section) or {}
            for name, spec in entries.items() if isinstance(entries, dict) else []:
                _cargo_dependency(parsed, name, spec, scope)
    return parsed


def _cargo_dependency(parsed: Parsed, name: str, spec: Any, scope: str) -> None:
    if isinstance(spec, dict):
        if spec.get("path") and not spec.get("version"):
            return  # a crate of the same workspace
        name = text_field(spec.get("package")) or name  # renamed dependency
        requirement = text_field(spec.get("version"))
    else:
        requirement = text_field(spec)
    parsed.dependencies.append(Declared(name, requirement, scope=scope))


def parse_cargo_lock(text: str) -> Parsed:
    parsed = Parsed()
    for package in lock_packages(text):
        # Only crates from a registry: the workspace's own crates have no source.
        if text_field(package.get("source")).startswith("registry+"):
            parsed.dependencies.append(
                Declared(package["name"], "", text_field(package.get("version")), direct=None)
            )
    return parsed


def parse_csproj(text: str) -> Parsed:
    root = load_xml(text)
    if local_name(root) != "Project":
        raise ManifestError(f"the root element is <{local_name(root)}>, not <Project>")
    parsed = Parsed()
    for group in children(root, "PropertyGroup"):
        for prop in group:
            if local_name(prop) == "PackageId":
                parsed.package_name = (prop.text or "").strip()
            elif local_name(prop) == "Version":
                parsed.package_version = (prop.text or "").strip()
    for group in children(root, "ItemGroup"):
        for reference in children(group, "PackageReference"):
            name = (reference.get("Include") or reference.get("Update") or "").strip()
            version = (reference.get("Version") or "").strip()
            if not version:
                version = next(((v.text or "").strip() for v in children(reference, "Version")), "")
            private = (reference.get("PrivateAssets") or "").lower() == "all"
            if name:
                parsed.dependencies.append(
                    Declared(name, version, scope=DEVELOPMENT if private else RUNTIME)
                )
    return parsed
