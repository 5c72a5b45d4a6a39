"""The strict normalisation of addresses and domains the allow-list relies on."""

import pytest

from inventory.agents.addresses import domain_and_parents, domain_normalise, email_normalise


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("jean.dupont@dinum.gouv.fr", "jean.dupont@dinum.gouv.fr"),
        ("  X@Education.Gouv.FR \n", "x@education.gouv.fr"),
        ("agent@ｇｏｕｖ．ｆｒ", "agent@gouv.fr"),  # full-width forms fold under NFKC
        ("agent@café.gouv.fr", "agent@xn--caf-dma.gouv.fr"),
        ("agent@gouv.fг", "agent@gouv.xn--f-ftb"),  # Cyrillic г stays foreign, as punycode
        ("prenom.nom+sill@ac-paris.fr", "prenom.nom+sill@ac-paris.fr"),
    ],
)
def test_plain_addresses_normalise_to_lower_case_ascii(raw, expected):
    assert email_normalise(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "   ",
        "agent",
        "agent@",
        "@gouv.fr",
        "agent@gouv.fr@evil.com",
        '"agent@gouv.fr"@evil.com',
        '"agent"@gouv.fr',
        "agent@gouv.fr.",
        "agent@gouv..fr",
        "agent@.gouv.fr",
        "agent@-gouv.fr",
        "agent@gouv_fr.fr",
        "agent@gouv.fr:443",
        "agent@[127.0.0.1]",
        "agent@127.0.0.1",
        "agent@localhost",
        "agent @gouv.fr",
        "agent@gouv.fr\nbcc@evil.com",
        "agent..dupont@gouv.fr",
        "agént@gouv.fr",
        "a" * 65 + "@gouv.fr",
        None,
        42,
    ],
)
def test_anything_but_a_plain_address_is_refused(raw):
    assert email_normalise(raw) is None


def test_domain_normalisation_refuses_a_final_dot_and_folds_case():
    assert domain_normalise(" Gouv.FR ") == "gouv.fr"
    assert domain_normalise("gouv.fr.") is None


def test_parents_are_cut_on_dot_boundaries_only():
    assert domain_and_parents("dinum.gouv.fr") == ["dinum.gouv.fr", "gouv.fr", "fr"]
    assert "gouv.fr" not in domain_and_parents("xgouv.fr")
