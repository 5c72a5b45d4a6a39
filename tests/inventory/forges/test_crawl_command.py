"""manage.py crawl: progress while crawling, a summary table at the end."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from inventory.forges.models import CrawlRun, CrawlStatus, Repository


def run_crawl(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("crawl", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def table_row(output: str, account: str) -> list[str]:
    line = next(line for line in output.splitlines() if f" {account} " in line)
    return [cell.strip() for cell in line.strip("│┃| ").split("│")]


def test_crawl_command_crawls_every_account_and_prints_a_summary_table(crawled_accounts):
    out, err = run_crawl()

    run = CrawlRun.objects.get()
    assert (run.status, run.trigger, run.accounts_total) == (CrawlStatus.SUCCESS, "command", 6)
    assert f"Crawl #{run.pk}" in out
    etalab = table_row(out, "github.com/etalab")
    assert etalab[1:6] == ["success", "3", "3", "0", "0"]
    assert table_row(out, "gitlab.com/numerique-gouv")[2] == "130"
    assert "git.example.fr (whole instance)" in out
    assert "6 accounts" in out and "0 failed" in out
    assert "6/6" in err  # the progress bar's last state


def test_crawl_command_reports_a_failed_account_and_still_exits_normally(
    crawled_accounts, fake_forge
):
    fake_forge.fault("github.com", "unauthorized", path_contains="betagouv")

    out, _ = run_crawl("--forge", "github.com")

    row = table_row(out, "github.com/betagouv")
    assert row[1] == "failed"
    assert "unauthorized" in row[-1]
    assert table_row(out, "github.com/etalab")[1] == "success"
    assert "3 accounts" in out and "1 failed" in out


def test_crawl_command_fails_when_every_account_failed(crawled_accounts, fake_forge):
    fake_forge.fault("gitlab.com", "server_error")

    with pytest.raises(CommandError, match="Every account's crawl failed"):
        run_crawl("--account", "gitlab.com/incubateur-territoires")

    assert CrawlRun.objects.get().status == CrawlStatus.FAILED


def test_crawl_command_crawls_only_the_accounts_named(crawled_accounts):
    out, err = run_crawl("--account", "github.com/betagouv", "--account", "github.com/unknown")

    assert list(Repository.objects.values_list("full_name", flat=True)) == ["betagouv/beta"]
    assert "github.com/unknown" in err
    assert "1 accounts" in out


def test_crawl_command_refuses_a_selection_matching_no_account(crawled_accounts):
    with pytest.raises(CommandError, match="No account to crawl"):
        run_crawl("--forge", "forge.nowhere.fr")
    assert not CrawlRun.objects.exists()


def test_crawl_command_without_accounts_says_so(db):
    out, _ = run_crawl()

    assert "No account to crawl" in out
    assert not CrawlRun.objects.exists()


def test_crawl_command_queue_without_a_broker_runs_the_celery_pipeline_here(
    transactional_db, crawled_accounts
):
    # transactional_db: the run's fan-out is queued when its transaction really commits.
    out, _ = run_crawl("--queue", "--account", "gitlab.com/incubateur-territoires")

    run = CrawlRun.objects.get()
    assert (run.status, run.trigger) == (CrawlStatus.SUCCESS, "command")
    assert table_row(out, "gitlab.com/incubateur-territoires")[1:4] == ["success", "2", "2"]


def test_crawl_command_prints_one_line_of_totals_instead_of_the_table_when_asked(
    crawled_accounts,
):
    out, _ = run_crawl("--no-table")

    run = CrawlRun.objects.get()
    assert "┏" not in out and "github.com/etalab" not in out
    assert out.startswith(f"Crawl #{run.pk}: success, 6 accounts (0 failed), ")
    assert f"{Repository.objects.count()} repositories seen" in out
