"""The demo: a fake forge seeded with real public repositories, crawled into the embedded
database. It drives every domain, so it lives above them all (see the layers contract)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Sum

from crawlers.fakeforge import FakeForge
from crawlers.fakeforge.demo import build_demo_seed
from inventory.core.exceptions import ApplicationError
from inventory.core.paths import shared_data_dir
from inventory.forges.models import AccountCrawl, CrawlRun, CrawlStatus, Forge

REPOSITORIES_CSV = Path("codegouvfr-2021") / "repositories.csv"
TOP_ORGANISATIONS = Path("codegouvfr") / "top_organizations.yml"
SILL_FILES = (Path("sill") / "sill.json",)
SILL_CONTRIBUTORS = Path("sill") / "sill-contributors.json"


def demo_data_dir(data_dir: Path | None = None) -> Path:
    """The real data folder, checked: a clear error when it is not beside the project."""
    folder = Path(data_dir) if data_dir else shared_data_dir()
    if not (folder / REPOSITORIES_CSV).is_file():
        raise ApplicationError(
            f"The demo needs the real public data in {folder} (with {REPOSITORIES_CSV}): "
            "set LOGITHEQUE_SHARED_DATA to the folder that holds it."
        )
    return folder


def demo_forge_start(*, data_dir: Path, port: int) -> tuple[FakeForge, Path, list[str]]:
    """Start the fake forge seeded from the real 2021 export; write the matching accounts list."""
    seed, accounts_yaml = build_demo_seed(data_dir / REPOSITORIES_CSV)
    accounts_file = settings.VAR_DIR / "demo" / "comptes-organismes-publics.yml"
    accounts_file.parent.mkdir(parents=True, exist_ok=True)
    accounts_file.write_text(accounts_yaml, encoding="utf-8")
    forge = FakeForge(seed, port=port).start()
    return forge, accounts_file, sorted(seed["forges"])


@transaction.atomic
def forges_api_urls_set(*, api_urls: Mapping[str, str]) -> int:
    """Point the named forges at other API base URLs (the demo points them at the fake forge)."""
    updated = 0
    for forge in Forge.objects.filter(host__in=list(api_urls)):
        forge.api_url = api_urls[forge.host]
        forge.full_clean()
        forge.save(update_fields=["api_url", "updated_at"])
        updated += 1
    return updated


def crawl_run_totals() -> tuple[str, str]:
    """The latest crawl run in one line: its outcome, accounts and what changed."""
    run = CrawlRun.objects.order_by("-pk").first()
    if run is None:
        return ("Crawl", "none")
    results = AccountCrawl.objects.filter(run=run)
    totals = results.aggregate(
        seen=Sum("repositories_seen"),
        new=Sum("repositories_new"),
        updated=Sum("repositories_updated"),
        gone=Sum("repositories_gone"),
        requests=Sum("requests"),
        not_modified=Sum("not_modified"),
    )
    totals = {name: value or 0 for name, value in totals.items()}
    failed = results.filter(status=CrawlStatus.FAILED).count()
    return (
        f"Crawl #{run.pk}",
        f"{run.status}: {results.count()} accounts ({failed} failed), {totals['seen']} "
        f"repositories ({totals['new']} new, {totals['updated']} updated, {totals['gone']} gone), "
        f"{totals['requests']} requests ({totals['not_modified']} answered 304)",
    )
