"""Celery task regenerating the open-data files (daily by beat, and after each crawl run)."""

from celery import shared_task

from inventory.opendata.services import exports_generate


# Exports stream the whole inventory: 100k repositories take tens of seconds, so allow minutes;
# no retry, as the next crawl or the next day regenerates them anyway.
@shared_task(soft_time_limit=1800, time_limit=2000)
def exports_generate_task() -> str:
    result = exports_generate()
    return result.manifest["generated_at"]
