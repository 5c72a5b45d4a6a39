"""The Celery application; tasks run eagerly when no broker is configured (see settings).

Liveness, for process managers (``manage.py liveness worker|beat``): a worker touches
WORKER_LIVENESS_FILE from its event loop every few seconds, beat touches BEAT_LIVENESS_FILE each
time it sends a task (the crawl reaper, every CRAWL_REAP_INTERVAL seconds).
"""

import os
from pathlib import Path

from celery import Celery, bootsteps
from celery.signals import after_task_publish, beat_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("logitheque")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# How often a worker touches its liveness file (seconds); `liveness worker` allows a few misses.
WORKER_LIVENESS_INTERVAL = 10.0


def liveness_touch(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch()


class WorkerLiveness(bootsteps.StartStopStep):
    """Touch the worker's liveness file from its timer: it stops when the worker hangs or dies."""

    requires = {"celery.worker.components:Timer"}

    def __init__(self, worker, **kwargs) -> None:
        super().__init__(worker, **kwargs)
        self.timer_entry = None

    def start(self, worker) -> None:
        from django.conf import settings

        path = Path(settings.WORKER_LIVENESS_FILE)
        liveness_touch(path)
        self.timer_entry = worker.timer.call_repeatedly(
            WORKER_LIVENESS_INTERVAL, liveness_touch, (path,)
        )

    def stop(self, worker) -> None:
        if self.timer_entry is not None:
            self.timer_entry.cancel()


app.steps["worker"].add(WorkerLiveness)

_in_beat = False


@beat_init.connect
def _beat_started(sender=None, **kwargs) -> None:
    global _in_beat
    _in_beat = True
    _beat_alive()


@after_task_publish.connect
def _beat_sent(sender=None, **kwargs) -> None:
    if _in_beat:
        _beat_alive()


def _beat_alive() -> None:
    from django.conf import settings

    liveness_touch(Path(settings.BEAT_LIVENESS_FILE))
