"""The crawl, through the real clients and the fake forge, fills dependencies and manifests."""

from __future__ import annotations

from inventory.dependencies.models import Dependency, Manifest, Package
from inventory.forges.models import Account, Repository
from inventory.forges.services.crawl import account_crawl


def dependencies_of(full_name: str) -> dict[tuple[str, str], tuple[str, str, str, bool]]:
    return {
        (d.package.ecosystem, d.package.name): (
            d.requirement,
            d.resolved_version,
            d.scope,
            d.direct,
        )
        for d in Dependency.objects.filter(repository__full_name=full_name).select_related(
            "package"
        )
    }


def test_every_repository_whose_manifests_say_so_gets_its_dependencies(crawled, dependency_forge):
    assert dependencies_of("etalab/front") == {
        ("npm", "react"): ("^18.2.0", "18.2.0", "runtime", True),
        ("npm", "lodash"): ("4.17.20", "4.17.20", "runtime", True),
    }
    assert dependencies_of("etalab/api") == {
        ("pypi", "django"): ("==4.2.7", "4.2.7", "runtime", True),
        ("pypi", "requests"): (">=2.31", "", "runtime", True),
        ("pypi", "pytest"): ("", "", "development", True),
    }
    assert dependencies_of("dgfip/portail") == {
        ("npm", "react"): (">=18.0.0 <19", "18.3.1", "runtime", True)
    }
    assert ("maven", "org.apache.logging.log4j:log4j-core") in dependencies_of("dgfip/impots")
    assert dependencies_of("etalab/broken") == {}
    broken = Manifest.objects.get(repository__full_name="etalab/broken")
    assert broken.status == "malformed" and "JSON" in broken.error
    published = Manifest.objects.get(repository__full_name="dgfip/impots")
    assert (published.package_name, published.package_version) == ("fr.dgfip:impots", "2.0")
    # GitHub went through GraphQL: no REST request read a root or a file.
    github_gets = [
        e.path for e in dependency_forge.requests if e.host == "github.com" and e.method == "GET"
    ]
    assert not [path for path in github_gets if "/contents" in path]
    assert Package.objects.filter(ecosystem="npm", name="react").count() == 1


def test_an_unchanged_recrawl_keeps_dependencies_and_a_changed_repository_is_read_again(
    crawled, dependency_forge
):
    etalab = Account.objects.get(login="etalab")
    dependency_forge.reset_log()
    account_crawl(account_id=etalab.pk)
    assert not [e for e in dependency_forge.requests if e.method == "POST"]
    assert ("npm", "react") in dependencies_of("etalab/front")

    dependency_forge.update_repository(
        "github.com", 1, files={"package.json": '{"dependencies": {"vue": "^3.4.0"}}'},
        root_files=["package.json"],
    )  # fmt: skip
    account_crawl(account_id=etalab.pk)
    assert dependencies_of("etalab/front") == {("npm", "vue"): ("^3.4.0", "", "runtime", True)}
    assert list(
        Manifest.objects.filter(repository__full_name="etalab/front").values_list("path", flat=True)
    ) == ["package.json"]
    assert ("npm", "react") in dependencies_of("etalab/old-front")


def test_deleting_a_repository_row_takes_its_dependencies_along(crawled):
    Repository.objects.filter(full_name="etalab/front").delete()
    assert not Dependency.objects.filter(repository__full_name="etalab/front").exists()


def test_crawl_without_manifests_leaves_stored_dependencies_alone(
    crawled, dependency_forge, settings
):
    settings.CRAWL_MANIFESTS = False
    dependency_forge.update_repository("github.com", 2, description="touched")
    account_crawl(account_id=Account.objects.get(login="etalab").pk)
    assert dependencies_of("etalab/old-front") == {
        ("npm", "react"): ("^16.8.0", "", "runtime", True)
    }
