"""PyPI: requirements*.txt, pyproject.toml (PEP 621, PEP 735, Poetry), Pipfile.lock, poetry.lock."""

from __future__ import annotations

import re
from typing import Any

from packaging.requirements import InvalidRequirement, Requirement

from crawlers.manifests.base import (
    DEVELOPMENT,
    RUNTIME,
    Declared,
    ManifestError,
    Parsed,
    text_field,
)
from crawlers.manifests.data import load_json, load_toml, lock_packages

# A file is malformed when more of its requirement lines than this cannot be read.
MAX_BAD_LINES = 20
_DEV_WORDS = re.compile(r"(^|[-_.])(dev|test|tests|testing|lint|docs?|ci)([-_.]|$)", re.IGNORECASE)


def _pinned(requirement: Requirement) -> str:
    """The version an exact pin (==1.2.3, ===1.2.3) names, else ""."""
    specifiers = list(requirement.specifier)
    if (
        len(specifiers) == 1
        and specifiers[0].operator in ("==", "===")
        and "*" not in specifiers[0].version
    ):
        return specifiers[0].version
    return ""


def _from_pep508(line: str, scope: str) -> Declared:
    try:
        requirement = Requirement(line)
    except InvalidRequirement as exc:
        raise ManifestError(f"invalid requirement {line[:80]!r}: {exc}") from None
    return Declared(requirement.name, str(requirement.specifier), _pinned(requirement), scope=scope)


def parse_requirements(text: str, *, file_name: str = "requirements.txt") -> Parsed:
    """pip's requirements format: options, URLs, editable installs and includes are skipped."""
    scope = DEVELOPMENT if _DEV_WORDS.search(file_name.removesuffix(".txt")) else RUNTIME
    parsed, bad = Parsed(), []
    for raw in text.replace("\\\n", "").splitlines():
        line = raw.split(" #", 1)[0].strip()
        if not line or line.startswith(
            ("#", "-", "git+", "http://", "https://", "file:", ".", "/")
        ):
            continue
        line = line.split(";", 1)[0].strip() if "@" not in line else line
        try:
            parsed.dependencies.append(_from_pep508(line, scope))
        except ManifestError as exc:
            bad.append(str(exc))
    if len(bad) > MAX_BAD_LINES or (bad and not parsed.dependencies):
        raise ManifestError(f"{len(bad)} unreadable lines, first: {bad[0]}")
    return parsed


def parse_pyproject(text: str) -> Parsed:
    data = load_toml(text)
    project = data.get("project") if isinstance(data.get("project"), dict) else {}
    poetry = (data.get("tool") or {}).get("poetry") if isinstance(data.get("tool"), dict) else None
    poetry = poetry if isinstance(poetry, dict) else {}
    parsed = Parsed(
        package_name=text_field(project.get("name")) or text_field(poetry.get("name")),
        package_version=text_field(project.get("version")) or text_field(poetry.get("version")),
    )
    for line in _strings(project.get("dependencies"), "project.dependencies"):
        parsed.dependencies.append(_from_pep508(line, RUNTIME))
    optional = project.get("optional-dependencies") or {}
    for extra, lines in optional.items() if isinstance(optional, dict) else []:
        scope = DEVELOPMENT if _DEV_WORDS.search(extra) else RUNTIME
        for line in _strings(lines, f"optional-dependencies.{extra}"):
            parsed.dependencies.append(_from_pep508(line, scope))
    groups = data.get("dependency-groups") or {}
    for lines in groups.values() if isinstance(groups, dict) else []:
        for line in lines if isinstance(lines, list) else []:
            if isinstance(line, str):  # {include-group = "..."} tables add nothing new
                parsed.dependencies.append(_from_pep508(line, DEVELOPMENT))
    _poetry_table(parsed, poetry.get("dependencies"), RUNTIME)
    _poetry_table(parsed, poetry.get("dev-dependencies"), DEVELOPMENT)
    poetry_groups = poetry.get("group") or {}
    for group, spec in poetry_groups.items() if isinstance(poetry_groups, dict) else []:
        scope = RUNTIME if group == "main" else DEVELOPMENT
        _poetry_table(parsed, spec.get("dependencies") if isinstance(spec, dict) else None, scope)
    return parsed


def _strings(value: Any, where: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ManifestError(f"{where} should be a list of strings")
    return value


def _poetry_table(parsed: Parsed, table: Any, scope: str) -> None:
    for name, spec in table.items() if isinstance(table, dict) else []:
        if name.lower() == "python":
            continue
        if isinstance(spec, dict):
            requirement = text_field(spec.get("version"))
        elif isinstance(spec, list):  # several constraints by marker
            requirement = ", ".join(
                text_field(s.get("version")) for s in spec if isinstance(s, dict)
            )
        else:
            requirement = text_field(spec)
        parsed.dependencies.append(Declared(name, requirement, scope=scope))


def parse_pipfile_lock(text: str) -> Parsed:
    data = load_json(text)
    parsed = Parsed()
    for section, scope in (("default", RUNTIME), ("develop", DEVELOPMENT)):
        entries = data.get(section) or {}
        if not isinstance(entries, dict):
            raise ManifestError(f'"{section}" should be an object')
        for name, entry in entries.items():
            version = text_field(entry.get("version")) if isinstance(entry, dict) else ""
            parsed.dependencies.append(
                Declared(name, version, version.lstrip("=").strip(), scope=scope, direct=None)
            )
    return parsed


def parse_poetry_lock(text: str) -> Parsed:
    parsed = Parsed()
    for package in lock_packages(text):
        name, version = text_field(package.get("name")), text_field(package.get("version"))
        if name and version:
            # Poetry before 1.2 wrote category = "dev"; later ones keep groups in pyproject.toml.
            scope = DEVELOPMENT if package.get("category") == "dev" else RUNTIME
            parsed.dependencies.append(Declared(name, "", version, scope=scope, direct=None))
    return parsed
