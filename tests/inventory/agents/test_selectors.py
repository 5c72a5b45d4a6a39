"""The allow-list: public-sector domains and their subdomains in, look-alikes out."""

import idna
import pytest

from inventory.agents.models import EmailDomain
from inventory.agents.selectors import email_domain_is_allowed


@pytest.mark.parametrize(
    "email",
    [
        "jean.dupont@dinum.gouv.fr",  # subdomain of gouv.fr
        "X@Education.Gouv.FR ",  # case and surrounding spaces
        "prenom.nom@ac-versailles.fr",  # an academy
        "prenom.nom@sorbonne-universite.fr",  # a university
        "prenom.nom@aphp.fr",  # AP-HP
        "prenom.nom@ageps.aphp.fr",  # an AP-HP service
        "prenom.nom@insee.fr",  # one of the SILL's own additions
        "agent@ｇｏｕｖ．ｆｒ",  # full-width letters fold to gouv.fr
    ],
)
def test_public_sector_addresses_are_allowed(allow_list, email):
    assert email_domain_is_allowed(email)


@pytest.mark.parametrize(
    "email",
    [
        "agent@gouv.fr.example.com",
        "agent@xgouv.fr",
        "agent@gouv.fr.",
        "agent@gouv.fr@evil.com",
        '"agent@gouv.fr"@evil.com',
        "agent@gouv.fг",  # Cyrillic г
        "agent@gоuv.fr",  # Cyrillic о
        "agent@evil.com",
        "agent@fr",
        "",
        "agent.gouv.fr",
        "agent@@gouv.fr",
    ],
)
def test_look_alikes_and_malformed_addresses_are_refused(allow_list, email):
    assert not email_domain_is_allowed(email)


def test_a_deactivated_domain_no_longer_admits_its_subdomains(allow_list):
    EmailDomain.objects.filter(domain="aphp.fr").update(active=False)
    assert not email_domain_is_allowed("prenom.nom@aphp.fr")
    # A subdomain listed on its own stays allowed.
    assert email_domain_is_allowed("prenom.nom@ageps.aphp.fr")
    assert not email_domain_is_allowed("prenom.nom@unlisted.aphp.fr")


def test_an_international_domain_is_allowed_by_its_punycode_form(db):
    EmailDomain.objects.create(domain=idna.encode("ville-sète.fr").decode())
    assert email_domain_is_allowed("maire@Ville-Sète.fr")
    assert not email_domain_is_allowed("maire@ville-sete.fr")
