"""Celery tasks of the enrichment: one refresh per source, scheduled by beat (config/settings.py)."""

from __future__ import annotations

from celery import shared_task

from inventory.enrichment.services.run import enrichment_run

# One source's refresh sends a few hundred requests at most (a forge release per entry), each
# bounded by the clients' timeout and retries; past this, something is stuck.
REFRESH_SOFT_TIME_LIMIT = 30 * 60
REFRESH_HARD_TIME_LIMIT = REFRESH_SOFT_TIME_LIMIT + 60


@shared_task(
    soft_time_limit=REFRESH_SOFT_TIME_LIMIT,
    time_limit=REFRESH_HARD_TIME_LIMIT,
    # A failed source is recorded in its status and tried again at its next schedule: retrying
    # now would only press a source that is down or throttling us.
    max_retries=0,
)
def source_refresh_task(source: str) -> dict:
    result = enrichment_run(sources=[source])
    return {"source": source, "ok": all(item.ok for item in result.refreshes)}
