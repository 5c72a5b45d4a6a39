"""repository_search: every word must appear, on PostgreSQL as on SQLite."""

import pytest
from django.utils import timezone

from inventory.forges.models import Account, AccountKind, Forge, ForgeKind, Repository
from inventory.forges.selectors import repository_search
from tests.conftest import inventory_refresh

pytestmark = pytest.mark.django_db


@pytest.fixture
def repositories():
    forge = Forge.objects.create(
        host="github.com", kind=ForgeKind.GITHUB, api_url="https://api.github.com"
    )
    account = Account.objects.create(forge=forge, login="etalab", kind=AccountKind.ORG)
    now = timezone.now()
    for name, description in [
        ("legacy-tool", "An old command line tool"),
        ("new-project", "A fresh web project"),
        ("udata", "Open data portal"),
    ]:
        Repository.objects.create(
            forge=forge, remote_id=name, account=account, owner="etalab", name=name,
            full_name=f"etalab/{name}", html_url=f"https://github.com/etalab/{name}",
            description=description, first_seen_at=now, last_seen_at=now,
        )  # fmt: skip
    inventory_refresh()


def names(q: str) -> set[str]:
    return set(repository_search(Repository.objects.all(), q).values_list("name", flat=True))


def test_every_word_must_appear_somewhere(repositories):
    assert names("legacy project") == set()
    assert names("legacy command") == {"legacy-tool"}
    assert names("fresh project") == {"new-project"}


def test_a_word_inside_a_name_matches(repositories):
    assert names("data") == {"udata"}
