"""Realistic manifests and lock files for part of the demo seed, by the repository's language.

About two thirds of the repositories written in a language with a package manager get the
files a project of that kind has (package.json and often package-lock.json for JavaScript,
requirements.txt or pyproject.toml with poetry.lock for Python, pom.xml or build.gradle for
Java...), declaring packages public projects really use, in versions drawn from a hash of the
repository's URL so that every build of the seed is the same. One in fifty is malformed.
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Callable

# (name, versions) per ecosystem: widely used packages and versions they really had.
NPM = [("react", ["16.14.0", "17.0.2", "18.2.0"]), ("vue", ["2.6.14", "3.3.4"]),
       ("lodash", ["4.17.15", "4.17.21"]), ("axios", ["0.21.1", "1.6.2"]),
       ("express", ["4.17.1", "4.18.2"]), ("moment", ["2.29.1", "2.29.4"]),
       ("@angular/core", ["12.2.16", "16.2.0"]), ("leaflet", ["1.7.1", "1.9.4"]),
       ("d3", ["5.16.0", "7.8.5"]), ("@gouvfr/dsfr", ["1.7.2", "1.10.0"])]  # fmt: skip
NPM_DEV = [("jest", ["26.6.3", "29.7.0"]), ("eslint", ["7.32.0", "8.54.0"]),
           ("webpack", ["4.46.0", "5.89.0"]), ("typescript", ["4.9.5", "5.3.2"])]  # fmt: skip
PYPI = [("Django", ["2.2.28", "3.2.23", "4.2.7"]), ("requests", ["2.25.1", "2.31.0"]),
        ("numpy", ["1.21.6", "1.26.2"]), ("pandas", ["1.3.5", "2.1.3"]),
        ("Flask", ["1.1.4", "3.0.0"]), ("SQLAlchemy", ["1.4.50", "2.0.23"]),
        ("psycopg2-binary", ["2.9.9"]), ("PyYAML", ["5.4.1", "6.0.1"])]  # fmt: skip
PYPI_DEV = [("pytest", ["6.2.5", "7.4.3"]), ("black", ["22.12.0", "23.11.0"])]
MAVEN = [("org.springframework.boot:spring-boot-starter-web", ["2.5.14", "3.1.5"]),
         ("org.apache.logging.log4j:log4j-core", ["2.14.1", "2.17.1", "2.21.1"]),
         ("com.fasterxml.jackson.core:jackson-databind", ["2.12.7", "2.15.3"]),
         ("org.postgresql:postgresql", ["42.2.27", "42.6.0"])]  # fmt: skip
MAVEN_TEST = [("junit:junit", ["4.13.2"]), ("org.junit.jupiter:junit-jupiter", ["5.10.1"])]
PACKAGIST = [("symfony/console", ["5.4.32", "6.3.4"]), ("guzzlehttp/guzzle", ["7.8.0"]),
             ("monolog/monolog", ["2.9.2", "3.5.0"]), ("laravel/framework", ["8.83.27", "10.33.0"])]  # fmt: skip
GEMS = [("rails", ["6.1.7", "7.1.2"]), ("puma", ["5.6.7", "6.4.0"]), ("pg", ["1.5.4"]),
        ("sidekiq", ["6.5.12", "7.2.0"])]  # fmt: skip
GO = [("github.com/gin-gonic/gin", ["1.7.7", "1.9.1"]), ("github.com/spf13/cobra", ["1.8.0"]),
      ("github.com/stretchr/testify", ["1.8.4"])]  # fmt: skip
CARGO = [("serde", ["1.0.193"]), ("tokio", ["1.34.0"]), ("clap", ["4.4.10"])]
NUGET = [("Newtonsoft.Json", ["12.0.3", "13.0.3"]), ("Serilog", ["3.1.1"])]


class Picker:
    """Deterministic choices from a hash's bytes."""

    def __init__(self, digest: bytes) -> None:
        self.digest = digest
        self.position = 0

    def number(self) -> int:
        value = self.digest[self.position % len(self.digest)]
        self.position += 1
        return value

    def some(self, packages: list[tuple[str, list[str]]], most: int) -> list[tuple[str, str]]:
        count = 1 + self.number() % most
        start = self.number()
        chosen = [packages[(start + i) % len(packages)] for i in range(min(count, len(packages)))]
        return [(name, versions[self.number() % len(versions)]) for name, versions in chosen]


def _javascript(pick: Picker, name: str) -> dict[str, str]:
    runtime, dev = pick.some(NPM, 4), pick.some(NPM_DEV, 2)
    package = {"name": name.lower(), "version": "1.0.0", "private": pick.number() % 3 == 0,
               "dependencies": {n: f"^{v}" for n, v in runtime},
               "devDependencies": {n: f"^{v}" for n, v in dev}}  # fmt: skip
    files = {"package.json": json.dumps(package, indent=2)}
    if pick.number() % 2:
        locked = {f"node_modules/{n}": {"version": v} for n, v in runtime}
        locked |= {f"node_modules/{n}": {"version": v, "dev": True} for n, v in dev}
        locked["node_modules/loose-envify"] = {"version": "1.4.0"}
        lock = {"name": name.lower(), "lockfileVersion": 3, "packages": {"": {}} | locked}
        files["package-lock.json"] = json.dumps(lock, indent=2)
    return files


def _python(pick: Picker, name: str) -> dict[str, str]:
    runtime, dev = pick.some(PYPI, 4), pick.some(PYPI_DEV, 2)
    if pick.number() % 2:
        return {
            "requirements.txt": "".join(f"{n}=={v}\n" for n, v in runtime),
            "requirements-dev.txt": "-r requirements.txt\n"
            + "".join(f"{n}>={v}\n" for n, v in dev),
        }
    pyproject = textwrap.dedent(f"""\
        [tool.poetry]
        name = "{name}"
        version = "0.1.0"

        [tool.poetry.dependencies]
        python = "^3.9"
        """) + "".join(f'{n} = "^{v}"\n' for n, v in runtime)
    pyproject += "\n[tool.poetry.group.dev.dependencies]\n" + "".join(
        f'{n} = "^{v}"\n' for n, v in dev
    )
    lock = "".join(
        f'[[package]]\nname = "{n.lower()}"\nversion = "{v}"\n\n' for n, v in runtime + dev
    )
    return {"pyproject.toml": pyproject, "poetry.lock": lock}


def _java(pick: Picker, name: str) -> dict[str, str]:
    runtime, tests = pick.some(MAVEN, 3), pick.some(MAVEN_TEST, 1)
    if pick.number() % 3 == 0:
        lines = [f"    implementation '{n}:{v}'" for n, v in runtime]
        lines += [f"    testImplementation '{n}:{v}'" for n, v in tests]
        return {
            "build.gradle": "plugins {\n    id 'java'\n}\n\ndependencies {\n"
            + "\n".join(lines)
            + "\n}\n"
        }

    def dependency(coordinates: str, version: str, scope: str = "") -> str:
        group, artifact = coordinates.split(":")
        scope_line = f"<scope>{scope}</scope>" if scope else ""
        return (f"    <dependency><groupId>{group}</groupId><artifactId>{artifact}</artifactId>"
                f"<version>{version}</version>{scope_line}</dependency>\n")  # fmt: skip

    body = "".join(dependency(n, v) for n, v in runtime) + "".join(
        dependency(n, v, "test") for n, v in tests
    )
    return {"pom.xml": (
        '<?xml version="1.0" encoding="UTF-8"?>\n<project xmlns="http://maven.apache.org/POM/4.0.0">\n'
        f"  <modelVersion>4.0.0</modelVersion>\n  <groupId>fr.gouv</groupId>\n  <artifactId>{name.lower()}</artifactId>\n"
        f"  <version>1.0.0</version>\n  <dependencies>\n{body}  </dependencies>\n</project>\n")}  # fmt: skip


def _php(pick: Picker, name: str) -> dict[str, str]:
    runtime = pick.some(PACKAGIST, 3)
    composer = {
        "name": f"gouv/{name.lower()}",
        "require": {"php": ">=7.4"} | {n: f"^{v}" for n, v in runtime},
    }
    lock = {"packages": [{"name": n, "version": f"v{v}"} for n, v in runtime], "packages-dev": []}
    return {
        "composer.json": json.dumps(composer, indent=2),
        "composer.lock": json.dumps(lock, indent=2),
    }


def _ruby(pick: Picker, name: str) -> dict[str, str]:
    gems = pick.some(GEMS, 3)
    specs = "".join(f"    {n} ({v})\n" for n, v in gems)
    direct = "".join(f"  {n}\n" for n, _ in gems)
    return {
        "Gemfile.lock": f"GEM\n  remote: https://rubygems.org/\n  specs:\n{specs}\nPLATFORMS\n  ruby\n\nDEPENDENCIES\n{direct}"
    }


def _go(pick: Picker, name: str) -> dict[str, str]:
    modules = "".join(f"\t{n} v{v}\n" for n, v in pick.some(GO, 3))
    return {
        "go.mod": f"module github.com/gouv/{name.lower()}\n\ngo 1.21\n\nrequire (\n{modules})\n"
    }


def _rust(pick: Picker, name: str) -> dict[str, str]:
    crates = pick.some(CARGO, 3)
    toml = f'[package]\nname = "{name.lower()}"\nversion = "0.1.0"\n\n[dependencies]\n'
    toml += "".join(f'{n} = "{v.rsplit(".", 1)[0]}"\n' for n, v in crates)
    lock = "".join(
        f'[[package]]\nname = "{n}"\nversion = "{v}"\nsource = "registry+https://github.com/rust-lang/crates.io-index"\n\n'
        for n, v in crates
    )
    return {"Cargo.toml": toml, "Cargo.lock": lock}


def _dotnet(pick: Picker, name: str) -> dict[str, str]:
    references = "".join(
        f'    <PackageReference Include="{n}" Version="{v}" />\n' for n, v in pick.some(NUGET, 2)
    )
    return {
        f"{name}.csproj": f'<Project Sdk="Microsoft.NET.Sdk">\n  <ItemGroup>\n{references}  </ItemGroup>\n</Project>\n'
    }


BY_LANGUAGE: dict[str, Callable[[Picker, str], dict[str, str]]] = {
    "JavaScript": _javascript, "TypeScript": _javascript, "Vue": _javascript,
    "Python": _python, "Jupyter Notebook": _python, "Java": _java, "Kotlin": _java,
    "PHP": _php, "Ruby": _ruby, "Go": _go, "Rust": _rust, "C#": _dotnet,
}  # fmt: skip


def manifest_files(language: str, name: str, digest: bytes) -> dict[str, str]:
    """The manifests a repository of ``language`` carries at its root (often none)."""
    make = BY_LANGUAGE.get(language)
    pick = Picker(digest[18:])
    if make is None or pick.number() % 3 == 0:
        return {}
    safe_name = "".join(c if c.isalnum() or c in "-_" else "-" for c in name) or "app"
    files = make(pick, safe_name)
    if pick.number() % 50 == 0:  # a manifest cut short, as a bad merge leaves it
        first = next(iter(files))
        files[first] = files[first][: len(files[first]) // 2]
    return files
