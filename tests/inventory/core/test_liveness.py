"""manage.py liveness worker|beat: what a process manager runs to know a worker or beat is alive."""

import os
import time
from io import StringIO

import pytest
from django.core.management import call_command


def liveness(*args) -> tuple[int, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("liveness", *args, stdout=out, stderr=err)
    except SystemExit as exit_:
        return exit_.code, err.getvalue()
    return 0, out.getvalue()


@pytest.fixture
def liveness_files(settings, tmp_path):
    settings.WORKER_LIVENESS_FILE = tmp_path / "worker.alive"
    settings.BEAT_LIVENESS_FILE = tmp_path / "beat.alive"
    settings.CRAWL_REAP_INTERVAL = 60
    return settings


def test_a_worker_that_touched_its_file_lately_is_alive(liveness_files):
    liveness_files.WORKER_LIVENESS_FILE.touch()

    assert liveness("worker") == (0, "worker: OK\n")


def test_a_worker_whose_file_is_stale_is_reported_dead(liveness_files):
    path = liveness_files.WORKER_LIVENESS_FILE
    path.touch()
    os.utime(path, (time.time() - 31, time.time() - 31))

    code, message = liveness("worker")

    assert code == 1
    assert "last touched 31s ago (more than 30s): hung or dead" in message
    assert liveness("worker", "--max-age", "60")[0] == 0


def test_beat_is_allowed_three_reaper_intervals(liveness_files):
    path = liveness_files.BEAT_LIVENESS_FILE
    path.touch()
    os.utime(path, (time.time() - 170, time.time() - 170))
    assert liveness("beat")[0] == 0

    os.utime(path, (time.time() - 181, time.time() - 181))
    assert liveness("beat")[0] == 1


def test_a_process_that_never_started_here_is_not_alive(liveness_files):
    code, message = liveness("beat")

    assert code == 1
    assert "does not exist: never started here" in message
