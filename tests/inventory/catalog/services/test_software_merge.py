"""Merging duplicate entries moves everything to the target and loses nothing."""

import pytest

from inventory.catalog.models import (
    Comment,
    Instance,
    ReferentDeclaration,
    Software,
    UserDeclaration,
)
from inventory.catalog.services import software_merge
from inventory.core.exceptions import ApplicationError
from tests.inventory.catalog import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair():
    source = factories.software_create(
        name="Libre Office", sill_id=901, homepage_url="https://fr.libreoffice.org",
        keywords=["bureautique"], catalog_years=[2019],
    )  # fmt: skip
    target = factories.software_create(name="LibreOffice", keywords=["odf"], catalog_years=[2022])
    return source, target


def test_merge_moves_declarations_instances_comments_and_children(pair):
    source, target = pair
    referent = factories.referent_create(software=source)
    user = factories.user_create(software=source)
    instance = factories.instance_create(
        software=source, organisation=factories.organisation_create()
    )
    comment = factories.comment_create(software=source, author=factories.agent_create())
    child = factories.software_create(name="Grammalecte", parent=source)
    curator = factories.curator_create()

    merged = software_merge(curator=curator, source=source, target=target)

    assert merged == target
    assert not Software.objects.filter(pk=source.pk).exists()
    assert ReferentDeclaration.objects.get(pk=referent.pk).software == target
    assert UserDeclaration.objects.get(pk=user.pk).software == target
    assert Instance.objects.get(pk=instance.pk).software == target
    assert Comment.objects.get(pk=comment.pk).software == target
    assert Software.objects.get(pk=child.pk).parent == target
    target.refresh_from_db()
    assert target.homepage_url == "https://fr.libreoffice.org"
    assert target.keywords == ["odf", "bureautique"]
    assert target.catalog_years == [2019, 2022]
    assert target.source_records["merged"] == [
        {"sill_id": 901, "name": "Libre Office", "slug": source.slug}
    ]


def test_merge_keeps_the_targets_declaration_when_the_same_agent_declared_both(pair):
    source, target = pair
    agent = factories.agent_create()
    factories.referent_create(software=source, agent=agent, use_case="ancien")
    kept = factories.referent_create(software=target, agent=agent, use_case="actuel")
    software_merge(curator=factories.curator_create(), source=source, target=target)
    assert list(ReferentDeclaration.objects.all()) == [kept]
    assert ReferentDeclaration.objects.get().use_case == "actuel"


def test_merge_keeps_the_history_of_the_deleted_source(pair):
    source, target = pair
    curator = factories.curator_create()
    software_merge(curator=curator, source=source, target=target)
    deletion = Software.history.filter(id=source.pk, history_type="-").get()
    assert deletion.history_user == curator
    assert deletion.name == "Libre Office"
    assert "merged into LibreOffice" in deletion.history_change_reason


def test_an_entry_cannot_be_merged_into_itself(pair):
    source, _ = pair
    with pytest.raises(ApplicationError):
        software_merge(curator=factories.curator_create(), source=source, target=source)
    assert Software.objects.filter(pk=source.pk).exists()
