"""manage.py crawl_run_finish: operators close a run by hand, as often as they like."""

import pytest
from django.core.management import CommandError, call_command

from inventory.forges.models import CrawlStatus
from inventory.forges.services.crawl import account_crawl, crawl_run_start


def finish(*run_ids) -> str:
    from io import StringIO

    out = StringIO()
    call_command("crawl_run_finish", *map(str, run_ids), stdout=out)
    return out.getvalue()


def test_finishing_a_run_by_hand_records_its_unfinished_accounts_and_is_idempotent(
    crawled_accounts, settings
):
    run = crawl_run_start(forge_host="gitlab.com")
    account_crawl(account_id=crawled_accounts["gitlab.com/numerique-gouv"].pk, run_id=run.pk)

    first = finish(run.pk)
    run.refresh_from_db()
    manifest_after_first = (settings.OPENDATA_DIR / "current" / "manifest.json").read_text()
    second = finish(run.pk)

    assert (
        first
        == f"Run #{run.pk} finished: partial (1 account(s) crawled, 1 failed, of which 1 interrupted).\n"
    )
    assert second.startswith(f"Run #{run.pk} was already finished: partial at ")
    assert run.results.get(status=CrawlStatus.FAILED).error_kind == "interrupted"
    # The second call changed nothing, not even the open data.
    assert (settings.OPENDATA_DIR / "current" / "manifest.json").read_text() == manifest_after_first


def test_finishing_an_unknown_run_is_a_clear_error(db):
    with pytest.raises(CommandError, match="No crawl run #404"):
        finish(404)
