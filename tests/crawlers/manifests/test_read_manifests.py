"""read_manifests: which root files are read, how manifests and locks merge, bounds and bad files."""

from __future__ import annotations

import json

from crawlers.manifests import MAX_DEPENDENCIES, MAX_MANIFEST_BYTES, MAX_MANIFESTS, read_manifests


def read(files: dict[str, bytes]):
    return read_manifests(files, files.get)


def by_name(dependencies):
    return {(d.ecosystem, d.name): d for d in dependencies}


def test_lock_gives_the_resolved_version_of_what_the_manifest_declares():
    manifests, dependencies = read(
        {
            "package.json": json.dumps(
                {"name": "@Etalab/App", "version": "2.1.0", "dependencies": {"React": "^18.2.0"},
                 "devDependencies": {"jest": "^29"}}
            ).encode(),
            "package-lock.json": json.dumps(
                {"lockfileVersion": 3, "packages": {
                    "": {"name": "app"},
                    "node_modules/react": {"version": "18.2.0"},
                    "node_modules/loose-envify": {"version": "1.4.0"},
                    "node_modules/jest": {"version": "29.7.0", "dev": True}}}
            ).encode(),
            "README.md": b"# not a manifest",
        }
    )  # fmt: skip
    found = by_name(dependencies)
    assert found["npm", "react"].requirement == "^18.2.0"
    assert found["npm", "react"].resolved_version == "18.2.0"
    assert found["npm", "react"].direct and found["npm", "react"].scope == "runtime"
    assert found["npm", "jest"].scope == "development"
    assert not found["npm", "loose-envify"].direct  # only the lock lists it: transitive
    assert [m.path for m in manifests] == ["package.json", "package-lock.json"]
    assert manifests[0].package_name == "@etalab/app" and manifests[0].package_version == "2.1.0"


def test_names_are_normalised_per_ecosystem():
    _, dependencies = read(
        {
            "requirements.txt": b"Django_Rest.Framework==3.15.1\nzope.interface\n",
            "Cargo.toml": b'[package]\nname = "x"\n[dependencies]\nSerde_JSON = "1"\n',
            "composer.json": b'{"require": {"php": ">=8.1", "ext-json": "*", "Symfony/Console": "^6"}}',
            "App.csproj": b'<Project><ItemGroup><PackageReference Include="Newtonsoft.Json" Version="13.0.1"/></ItemGroup></Project>',
        }
    )
    assert set(by_name(dependencies)) == {
        ("pypi", "django-rest-framework"),
        ("pypi", "zope-interface"),
        ("cargo", "serde-json"),
        ("packagist", "symfony/console"),  # php and ext-json are the platform, not packages
        ("nuget", "newtonsoft.json"),
    }


def test_malformed_files_are_recorded_and_others_still_read():
    manifests, dependencies = read(
        {
            "package.json": b'{"dependencies": {"left-pad": ',
            "poetry.lock": b"not = toml = at all",
            "pom.xml": b'<!DOCTYPE x [<!ENTITY a "aaaa">]><project>&a;</project>',
            "go.mod": b"module example.org/m\n\nrequire golang.org/x/text v0.3.7\n",
        }
    )
    status = {m.path: (m.status, m.error) for m in manifests}
    assert status["package.json"][0] == "malformed" and "JSON" in status["package.json"][1]
    assert status["poetry.lock"][0] == "malformed"
    assert status["pom.xml"] == ("malformed", "refused XML construct: DTDForbidden")
    assert status["go.mod"] == ("parsed", "")
    assert [d.name for d in dependencies] == ["golang.org/x/text"]


def test_files_over_the_size_limit_or_not_given_are_not_parsed():
    big = b'{"dependencies": {}, "x": "' + b"a" * MAX_MANIFEST_BYTES + b'"}'
    manifests, dependencies = read_manifests(
        ["package.json", "composer.json"], {"package.json": big}.get
    )
    assert [(m.path, m.status) for m in manifests] == [
        ("composer.json", "unreadable"),
        ("package.json", "too_large"),
    ]
    assert dependencies == ()


def test_dependencies_and_files_are_capped_direct_ones_first():
    lock = {"lockfileVersion": 3, "packages": {
        f"node_modules/dep{i}": {"version": "1.0.0"} for i in range(MAX_DEPENDENCIES + 50)}}  # fmt: skip
    files = {
        "package.json": b'{"dependencies": {"dep2049": "^1"}}',
        "package-lock.json": json.dumps(lock).encode(),
    }
    manifests, dependencies = read(files)
    assert len(dependencies) == MAX_DEPENDENCIES
    assert dependencies[0].name == "dep2049" and dependencies[0].direct
    assert "50 dependencies beyond" in manifests[0].error
    names = [f"requirements-{i}.txt" for i in range(MAX_MANIFESTS + 5)]
    manifests, _ = read_manifests(names, lambda name: b"requests\n")
    assert len(manifests) == MAX_MANIFESTS


def test_deeply_nested_json_is_malformed_not_a_crash():
    manifests, _ = read({"package.json": b"[" * 100_000 + b"]" * 100_000})
    assert manifests[0].status == "malformed"
