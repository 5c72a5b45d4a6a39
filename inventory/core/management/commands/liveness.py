"""manage.py liveness worker|beat: exit 0 while that process on this host is alive, 1 otherwise."""

from __future__ import annotations

import datetime as dt
import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from health_check.exceptions import HealthCheckException

from config.celery import WORKER_LIVENESS_INTERVAL
from inventory.core.health import LivenessFile


class Command(BaseCommand):
    help = (
        "Liveness of a Celery worker or of beat on this host, for a process manager: checks that "
        "the process touched its liveness file recently (WORKER_LIVENESS_FILE, BEAT_LIVENESS_FILE)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("process", choices=["worker", "beat"])
        parser.add_argument(
            "--max-age",
            type=float,
            help="Seconds since the last touch still alive (default: three missed touches).",
        )

    def handle(self, *args, process: str, max_age: float | None, **options) -> None:
        if process == "worker":
            path, interval = settings.WORKER_LIVENESS_FILE, WORKER_LIVENESS_INTERVAL
        else:
            path, interval = settings.BEAT_LIVENESS_FILE, settings.CRAWL_REAP_INTERVAL
        check = LivenessFile(
            name=process, path=path, max_age=dt.timedelta(seconds=max_age or 3 * interval)
        )
        try:
            check.run()
        except HealthCheckException as error:
            self.stderr.write(f"{process}: {error}")
            sys.exit(1)
        self.stdout.write(f"{process}: OK")
