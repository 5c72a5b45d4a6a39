"""Normalisation of what forges say: SPDX ids, UTC datetimes, topics, change keys."""

from __future__ import annotations

import datetime as dt

import pytest

from crawlers.normalize import (
    as_int,
    as_text,
    gitea_change_key,
    github_change_key,
    gitlab_change_key,
    license_spdx,
    normalize_topics,
    parse_datetime,
    web_url,
)


@pytest.mark.parametrize(
    ("given", "spdx"),
    [
        ("AGPL-3.0", "AGPL-3.0"),
        ("MIT", "MIT"),
        ("Apache-2.0", "Apache-2.0"),
        # GitLab keys
        ("mit", "MIT"),
        ("apache-2.0", "Apache-2.0"),
        ("agpl-3.0", "AGPL-3.0"),
        ("gpl-3.0", "GPL-3.0"),
        ("lgpl-2.1", "LGPL-2.1"),
        ("mpl-2.0", "MPL-2.0"),
        ("eupl-1.2", "EUPL-1.2"),
        ("bsd-3-clause", "BSD-3-Clause"),
        ("cecill-2.1", "CECILL-2.1"),
        # names and nicknames
        ("MIT License", "MIT"),
        ("GNU General Public License v3.0", "GPL-3.0"),
        ("GNU Affero General Public License v3.0", "AGPL-3.0"),
        ("Licence CeCILL v2.1", "CECILL-2.1"),
        ("CeCILL Free Software License Agreement v2.1", "CECILL-2.1"),
        ("CeCILL-B", "CECILL-B"),
        ('BSD 3-Clause "New" or "Revised" License', "BSD-3-Clause"),
        ("Mozilla Public License 2.0", "MPL-2.0"),
        ("European Union Public License 1.2", "EUPL-1.2"),
        ("GNU AGPLv3", "AGPL-3.0"),
        ("Licence Ouverte 2.0", "etalab-2.0"),
        ("  mit  ", "MIT"),
    ],
)
def test_license_is_mapped_to_its_spdx_id(given, spdx):
    assert license_spdx(given) == spdx


@pytest.mark.parametrize("given", ["NOASSERTION", "other", "Other", "", None, "Licence maison"])
def test_unknown_or_unasserted_license_has_no_spdx_id(given):
    assert license_spdx(given) == ""


def test_first_recognisable_candidate_wins():
    assert license_spdx("NOASSERTION", "other", "MIT License") == "MIT"
    assert license_spdx("gpl-2.0", "MIT") == "GPL-2.0"


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("2024-05-02T09:30:00Z", dt.datetime(2024, 5, 2, 9, 30, tzinfo=dt.UTC)),
        ("2024-05-02T09:30:00+02:00", dt.datetime(2024, 5, 2, 7, 30, tzinfo=dt.UTC)),
        (
            "2024-05-02T09:30:00.123-01:00",
            dt.datetime(2024, 5, 2, 10, 30, 0, 123000, tzinfo=dt.UTC),
        ),
        ("2024-05-02T09:30:00", dt.datetime(2024, 5, 2, 9, 30, tzinfo=dt.UTC)),
        ("2024-05-02", dt.datetime(2024, 5, 2, tzinfo=dt.UTC)),
    ],
)
def test_dates_become_aware_utc(given, expected):
    parsed = parse_datetime(given)
    assert parsed == expected
    assert parsed.tzinfo is dt.UTC


@pytest.mark.parametrize("given", [None, "", "yesterday", "2024-13-45T00:00:00Z", 12, ["2024"]])
def test_unreadable_dates_are_none(given):
    assert parse_datetime(given) is None


def test_aware_datetime_is_converted_to_utc():
    paris = dt.timezone(dt.timedelta(hours=1))
    assert parse_datetime(dt.datetime(2024, 1, 1, 12, tzinfo=paris)) == dt.datetime(
        2024, 1, 1, 11, tzinfo=dt.UTC
    )


def test_topics_are_lower_cased_and_deduplicated_in_forge_order():
    assert normalize_topics(["Open-Data", "python", "open-data", " France ", "", None, 3]) == (
        "open-data",
        "python",
        "france",
    )
    assert normalize_topics(None) == ()


def test_numbers_and_text_from_json():
    assert as_int(5) == 5
    assert as_int("7") == 7
    assert as_int(None) == 0
    assert as_int(None, None) is None
    assert as_int(True) == 0
    assert as_text(None) == ""
    assert as_text("a\x00b") == "ab"
    assert as_text(12) == ""


def test_github_change_key_moves_with_push_or_metadata_update():
    base = {"pushed_at": "2024-01-01T00:00:00Z", "updated_at": "2024-01-02T00:00:00Z"}
    assert github_change_key(base) == "2024-01-01T00:00:00Z|2024-01-02T00:00:00Z"
    assert github_change_key(base | {"pushed_at": "2024-02-01T00:00:00Z"}) != github_change_key(
        base
    )
    assert github_change_key(base | {"updated_at": "2024-02-01T00:00:00Z"}) != github_change_key(
        base
    )
    assert github_change_key(base | {"stargazers_count": 9}) == github_change_key(base)


def test_gitlab_change_key_moves_with_activity_and_with_stored_list_fields():
    base = {
        "last_activity_at": "2024-01-01T00:00:00Z",
        "star_count": 1,
        "forks_count": 0,
        "description": "a",
        "topics": ["x"],
        "archived": False,
    }
    key = gitlab_change_key(base)
    assert key.startswith("2024-01-01T00:00:00Z|")
    assert gitlab_change_key(dict(base)) == key
    for change in (
        {"last_activity_at": "2024-02-01T00:00:00Z"},
        {"star_count": 2},
        {"forks_count": 1},
        {"description": "b"},
        {"topics": ["y"]},
        {"archived": True},
    ):
        assert gitlab_change_key(base | change) != key, change


def test_gitea_change_key_is_updated_at():
    assert gitea_change_key({"updated_at": "2024-01-01T00:00:00Z"}) == "2024-01-01T00:00:00Z"


@pytest.mark.parametrize(
    "value",
    [
        "https://www.etalab.gouv.fr",
        "http://gitlab.example.fr:8080/groupe/projet?x=1#readme",
        "  https://padded.example.fr/  ",
    ],
)
def test_web_url_keeps_absolute_http_and_https_addresses(value):
    assert web_url(value) == value.strip()


@pytest.mark.parametrize(
    "value",
    [
        "javascript:alert(document.domain)",
        "JaVaScRiPt:alert(1)",
        " javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "ftp://ftp.example.fr/file",
        "//evil.example/path",
        "/relative/path",
        "https://",
        "https://user:password@evil.example/",
        "https://www.gouv.fr@evil.example/",
        "https://evil.example/\u202efdp.exe",
        "https://evil.example/a b",
        "https://evil.example/\n/next",
        "https://evil.example:99999/",
        "https://" + "a" * 600 + ".fr/",
        None,
        42,
        "",
    ],
)
def test_web_url_refuses_everything_else(value):
    assert web_url(value) == ""


def test_as_text_drops_nul_and_bidirectional_overrides_but_keeps_letters():
    assert as_text("rapport\u202efdp.exe\x00 \u2067é\u2069") == "rapportfdp.exe é"
    assert as_text("مرحبا") == "مرحبا"
