"""Each manifest and lock format: what it declares, read as data (never run)."""

from __future__ import annotations

import pytest

from crawlers.manifests import jvm, others, php, python
from crawlers.manifests.base import DEVELOPMENT, RUNTIME, ManifestError
from crawlers.manifests.javascript import parse_package_lock


def pairs(parsed):
    return [(d.name, d.requirement, d.resolved_version, d.scope) for d in parsed.dependencies]


def test_requirements_skip_options_urls_and_includes():
    parsed = python.parse_requirements(
        "# comment\n-r base.txt\n--index-url https://x\n-e git+https://x/y.git#egg=y\n"
        "https://example.org/pkg.tar.gz\nrequests[security]>=2.31 ; python_version >= '3.8'  # why\n"
        "Flask==3.0.0\n",
        file_name="requirements.txt",
    )
    assert pairs(parsed) == [
        ("requests", ">=2.31", "", RUNTIME),
        ("Flask", "==3.0.0", "3.0.0", RUNTIME),
    ]
    assert (
        python.parse_requirements("pytest\n", file_name="requirements-dev.txt")
        .dependencies[0]
        .scope
        == DEVELOPMENT
    )
    with pytest.raises(ManifestError):
        python.parse_requirements("<html>not requirements</html>\n")


def test_pyproject_pep621_groups_and_poetry():
    parsed = python.parse_pyproject(
        '[project]\nname = "My.Tool"\nversion = "1.2"\ndependencies = ["Django>=5.2,<6"]\n'
        '[project.optional-dependencies]\ntest = ["pytest>=8"]\n'
        '[dependency-groups]\nlint = ["ruff"]\n'
        '[tool.poetry.dependencies]\npython = "^3.11"\nhttpx = {version = "^0.27"}\n'
        '[tool.poetry.group.dev.dependencies]\nmypy = "^1"\n'
    )
    assert parsed.package_name == "My.Tool" and parsed.package_version == "1.2"
    assert pairs(parsed) == [
        ("Django", "<6,>=5.2", "", RUNTIME),
        ("pytest", ">=8", "", DEVELOPMENT),
        ("ruff", "", "", DEVELOPMENT),
        ("httpx", "^0.27", "", RUNTIME),
        ("mypy", "^1", "", DEVELOPMENT),
    ]


def test_python_locks():
    pipfile = python.parse_pipfile_lock(
        '{"default": {"requests": {"version": "==2.31.0"}}, "develop": {"pytest": {"version": "==8.0.0"}}}'
    )
    assert pairs(pipfile) == [
        ("requests", "==2.31.0", "2.31.0", RUNTIME),
        ("pytest", "==8.0.0", "8.0.0", DEVELOPMENT),
    ]
    poetry = python.parse_poetry_lock(
        '[[package]]\nname = "idna"\nversion = "3.6"\n[[package]]\nname = "black"\nversion = "24.1.0"\ncategory = "dev"\n'
    )
    assert pairs(poetry) == [("idna", "", "3.6", RUNTIME), ("black", "", "24.1.0", DEVELOPMENT)]


def test_npm_lock_version_1_is_walked():
    parsed = parse_package_lock(
        '{"lockfileVersion": 1, "dependencies": {"a": {"version": "1.0.0", "dependencies": '
        '{"b": {"version": "2.0.0", "dev": true}}}}}'
    )
    assert pairs(parsed) == [("a", "", "1.0.0", RUNTIME), ("b", "", "2.0.0", DEVELOPMENT)]


def test_composer_lock():
    parsed = php.parse_composer_lock(
        '{"packages": [{"name": "monolog/monolog", "version": "v3.5.0"}], '
        '"packages-dev": [{"name": "phpunit/phpunit", "version": "10.5.0"}]}'
    )
    assert pairs(parsed) == [
        ("monolog/monolog", "", "3.5.0", RUNTIME),
        ("phpunit/phpunit", "", "10.5.0", DEVELOPMENT),
    ]


def test_pom_resolves_properties_and_test_scope():
    parsed = jvm.parse_pom(
        '<project xmlns="http://maven.apache.org/POM/4.0.0"><groupId>fr.gouv</groupId>'
        "<artifactId>app</artifactId><version>1.0</version>"
        "<properties><spring.version>6.1.2</spring.version></properties><dependencies>"
        "<dependency><groupId>org.springframework</groupId><artifactId>spring-core</artifactId>"
        "<version>${spring.version}</version></dependency>"
        "<dependency><groupId>junit</groupId><artifactId>junit</artifactId><version>4.13.2</version>"
        "<scope>test</scope></dependency></dependencies></project>"
    )
    assert parsed.package_name == "fr.gouv:app"
    assert pairs(parsed) == [
        ("org.springframework:spring-core", "6.1.2", "", RUNTIME),
        ("junit:junit", "4.13.2", "", DEVELOPMENT),
    ]
    with pytest.raises(ManifestError, match="not <project>"):
        jvm.parse_pom("<settings/>")


def test_gradle_literal_declarations_only():
    parsed = jvm.parse_build_gradle(
        "dependencies {\n  implementation 'com.google.guava:guava:31.1-jre'\n"
        '  testImplementation("org.junit.jupiter:junit-jupiter:5.10.0")\n'
        "  api group: 'org.slf4j', name: 'slf4j-api', version: '2.0.9'\n"
        "  implementation project(':core')\n  classpath 'x:y:1'\n}\n"
    )
    assert pairs(parsed) == [
        ("com.google.guava:guava", "31.1-jre", "", RUNTIME),
        ("org.junit.jupiter:junit-jupiter", "5.10.0", "", DEVELOPMENT),
        ("org.slf4j:slf4j-api", "2.0.9", "", RUNTIME),
    ]


def test_gemfile_lock_direct_and_resolved():
    parsed = others.parse_gemfile_lock(
        "GEM\n  remote: https://rubygems.org/\n  specs:\n    rails (7.1.2)\n      actionpack (= 7.1.2)\n"
        "    actionpack (7.1.2)\n    nokogiri (1.15.5-x86_64-linux)\n\nPLATFORMS\n  ruby\n\n"
        "DEPENDENCIES\n  rails (~> 7.1)\n  nokogiri\n"
    )
    found = {d.name: (d.requirement, d.resolved_version, d.direct) for d in parsed.dependencies}
    assert found == {
        "rails": ("~> 7.1", "7.1.2", True),
        "actionpack": ("", "7.1.2", False),
        "nokogiri": ("", "1.15.5", True),
    }


def test_go_mod_and_cargo():
    parsed = others.parse_go_mod(
        "module example.org/app\n\ngo 1.22\n\nrequire github.com/pkg/errors v0.9.1\n"
        "require (\n\tgolang.org/x/text v0.14.0 // indirect\n)\n"
    )
    assert parsed.package_name == "example.org/app"
    assert [(d.name, d.resolved_version, d.direct) for d in parsed.dependencies] == [
        ("github.com/pkg/errors", "0.9.1", True),
        ("golang.org/x/text", "0.14.0", False),
    ]
    cargo = others.parse_cargo_toml(
        '[package]\nname = "app"\nversion = "0.1.0"\n[dependencies]\nserde = { version = "1.0", features = ["derive"] }\n'
        'local = { path = "../local" }\nfoo = { package = "real-foo", version = "2" }\n'
        '[dev-dependencies]\ntokio-test = "0.4"\n[target.\'cfg(unix)\'.dependencies]\nlibc = "0.2"\n'
    )
    assert pairs(cargo) == [
        ("serde", "1.0", "", RUNTIME),
        ("real-foo", "2", "", RUNTIME),
        ("tokio-test", "0.4", "", DEVELOPMENT),
        ("libc", "0.2", "", RUNTIME),
    ]
    lock = others.parse_cargo_lock(
        '[[package]]\nname = "app"\nversion = "0.1.0"\n[[package]]\nname = "serde"\nversion = "1.0.193"\n'
        'source = "registry+https://github.com/rust-lang/crates.io-index"\n'
    )
    assert pairs(lock) == [("serde", "", "1.0.193", RUNTIME)]


def test_csproj_versions_as_attribute_or_element():
    parsed = others.parse_csproj(
        '<Project Sdk="Microsoft.NET.Sdk"><PropertyGroup><PackageId>Gouv.Lib</PackageId>'
        "<Version>1.2.0</Version></PropertyGroup><ItemGroup>"
        '<PackageReference Include="Serilog" Version="3.1.1" />'
        '<PackageReference Include="StyleCop.Analyzers" PrivateAssets="all"><Version>1.1.118</Version></PackageReference>'
        "</ItemGroup></Project>"
    )
    assert parsed.package_name == "Gouv.Lib"
    assert pairs(parsed) == [
        ("Serilog", "3.1.1", "", RUNTIME),
        ("StyleCop.Analyzers", "1.1.118", "", DEVELOPMENT),
    ]


def test_xml_bombs_and_external_entities_are_refused():
    billion = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><Project>&lol2;</Project>'
    )
    external = '<?xml version="1.0"?><!DOCTYPE p [<!ENTITY x SYSTEM "file:///etc/passwd">]><project>&x;</project>'
    for text, parse in ((billion, others.parse_csproj), (external, jvm.parse_pom)):
        with pytest.raises(ManifestError, match="refused XML construct"):
            parse(text)
