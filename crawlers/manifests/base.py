"""What every manifest parser returns, the error it raises, and package-name normalisation."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

RUNTIME = "runtime"
DEVELOPMENT = "development"


class ManifestError(ValueError):
    """The file cannot be read as the manifest it claims to be (the message says why)."""


@dataclass(frozen=True, slots=True)
class Declared:
    """One dependency as a file declares it (name not yet normalised)."""

    name: str
    requirement: str = ""
    resolved_version: str = ""
    scope: str = RUNTIME
    # None: the file does not say (a lock file's entry is direct when a manifest declares it).
    direct: bool | None = True


@dataclass(slots=True)
class Parsed:
    """A parsed file: its dependencies and the package it publishes, if it names one."""

    dependencies: list[Declared] = field(default_factory=list)
    package_name: str = ""
    package_version: str = ""


_PEP503 = re.compile(r"[-_.]+")


def normalize_name(ecosystem: str, name: str) -> str:
    """The name under which ``ecosystem`` knows a package: PEP 503 for PyPI, lower case where
    the registry is case-insensitive (npm, Packagist, NuGet, crates.io with - and _ alike)."""
    name = name.strip()
    if ecosystem == "pypi":
        return _PEP503.sub("-", name).lower()
    if ecosystem in ("npm", "packagist", "nuget"):
        return name.lower()
    if ecosystem == "cargo":
        return name.lower().replace("_", "-")
    return name  # Maven coordinates, Go module paths and gem names are case-sensitive


def text_field(value: object) -> str:
    """A JSON/TOML string value as text; anything else (a table, a number) as ""."""
    return value.strip() if isinstance(value, str) else ""
