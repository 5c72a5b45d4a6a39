"""Root listings classified, publiccode.yml parsed without ever raising."""

from __future__ import annotations

import json

from crawlers.publiccode import (
    parse_publiccode,
    publiccode_name,
    repository_details,
    root_files,
)
from crawlers.records import RootFiles


def test_well_known_files_are_recognised_whatever_their_case_and_extension():
    assert root_files(
        ["Readme.md", "LICENCE.txt", "CONTRIBUTING.rst", "HISTORY.md", "PublicCode.yaml"]
    ) == RootFiles(readme=True, license=True, contributing=True, changelog=True, publiccode=True)
    assert root_files(["COPYING", "CHANGES"]) == RootFiles(license=True, changelog=True)
    assert root_files(["LICENSES"]) == RootFiles(license=True)


def test_look_alike_names_are_not_counted():
    assert root_files(["readmefirst", "licensed.md", "contributors.md", "setup.py"]) == RootFiles()


def test_publiccode_name_is_returned_as_spelt():
    assert publiccode_name(["a.txt", "PublicCode.YML"]) == "PublicCode.YML"
    assert publiccode_name(["publiccode.yml.bak"]) == ""


def test_publiccode_is_parsed_into_plain_json_data():
    parsed, error = parse_publiccode(
        "publiccodeYmlVersion: '0.4'\nreleaseDate: 2024-03-01\nratio: .nan\nplatforms: [web]\n1: one\n"
    )

    assert error == ""
    assert parsed == {
        "publiccodeYmlVersion": "0.4",
        "releaseDate": "2024-03-01",
        "ratio": "nan",
        "platforms": ["web"],
        "1": "one",
    }
    json.dumps(parsed, allow_nan=False)


def test_invalid_yaml_is_reported_with_its_reason():
    parsed, error = parse_publiccode("name: [unclosed\n")

    assert parsed is None
    assert error.startswith("publiccode.yml is not valid YAML:")
    assert "\n" not in error


def test_non_mapping_and_unsafe_tags_are_reported():
    assert parse_publiccode("- a\n- b\n") == (
        None,
        "publiccode.yml should be a mapping, not list",
    )
    parsed, error = parse_publiccode("x: !!python/object/apply:os.system ['true']\n")
    assert parsed is None and "not valid YAML" in error


def test_alias_bomb_is_refused():
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
    for name, previous in zip("bcdef", "abcde", strict=True):
        bomb += f"{name}: &{name} [{', '.join(['*' + previous] * 10)}]\n"

    parsed, error = parse_publiccode(bomb)

    assert parsed is None
    assert "values once aliases are expanded" in error


def test_details_read_publiccode_only_when_listed():
    asked: list[str] = []

    def read(name: str) -> bytes:
        asked.append(name)
        return b"\xef\xbb\xbfname: app\n"

    details = repository_details([("README.md", False), ("publiccode.yml", False)], read)
    assert asked == ["publiccode.yml"]
    assert details.publiccode == {"name": "app"}
    assert details.publiccode_text == "name: app\n"

    asked.clear()
    assert repository_details([("README.md", False)], read).root_files == RootFiles(readme=True)
    assert asked == []


def test_publiccode_folder_is_not_read_and_unreadable_file_is_reported():
    details = repository_details([("publiccode.yml", True)], lambda name: b"")
    assert details.publiccode_text == "" and details.publiccode_error == ""

    missing = repository_details([("publiccode.yml", False)], lambda name: None)
    assert missing.publiccode is None
    assert "did not give its content" in missing.publiccode_error


def test_no_listing_gives_empty_root_files_with_the_extra_fields():
    details = repository_details(None, lambda name: None, license_spdx="MIT", language="Go")

    assert details.root_files == RootFiles()
    assert details.license_spdx == "MIT" and details.language == "Go"
