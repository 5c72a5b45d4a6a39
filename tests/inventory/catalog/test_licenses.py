"""Free-license checks (strict, for agents) and normalisation (lenient, for imports)."""

import pytest

from inventory.catalog.licenses import license_check, license_normalise


@pytest.mark.parametrize(
    ("text", "expression"),
    [
        ("MIT", "MIT"),
        ("mit", "MIT"),
        ("GPL-3.0-or-later", "GPL-3.0-or-later"),
        ("AGPL-3.0", "AGPL-3.0-only"),
        ("MIT OR Apache-2.0", "MIT OR Apache-2.0"),
        ("CeCILL-2.1", "CECILL-2.1"),
    ],
)
def test_free_spdx_expressions_are_accepted_in_canonical_form(text, expression):
    check = license_check(text)
    assert check.ok
    assert check.expression == expression


@pytest.mark.parametrize(
    "text",
    ["", "Proprietary", "CC-BY-NC-4.0", "MIT AND CC-BY-NC-4.0", "GPL V2.0", "MIT,, GPL"],
)
def test_non_free_unknown_or_free_text_licenses_are_refused_to_agents(text):
    assert not license_check(text).ok


@pytest.mark.parametrize(
    ("raw", "expression"),
    [
        ("GPL V2.0", "GPL-2.0-only"),
        ("GPLv2+", "GPL-2.0-or-later"),
        ("GPL-2.0-only+", "GPL-2.0-or-later"),
        ("MIT, LGPL-3, AGPL-3", "MIT AND LGPL-3.0-only AND AGPL-3.0-only"),
        ("MPL 2.0 et EPL 1.0", "MPL-2.0 AND EPL-1.0"),
        ("GPL-2.0-only / LGPL-2.0-only", "GPL-2.0-only OR LGPL-2.0-only"),
        ("N/A", ""),
    ],
)
def test_import_texts_are_normalised_where_unambiguous(raw, expression):
    check = license_normalise(raw)
    assert check.ok
    assert check.expression == expression


@pytest.mark.parametrize("raw", ["GPL", "Creative Commons", "CPA", "BSD-3.0", "LGPL-2.0-only.1"])
def test_ambiguous_import_texts_are_flagged_not_guessed(raw):
    check = license_normalise(raw)
    assert check.expression == ""
    assert check.problem
