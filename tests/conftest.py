"""Shared fixtures: eager Celery by default (tests marked ``worker`` use a real one)."""

import pytest

from config.celery import app as celery_app


@pytest.fixture(autouse=True)
def _celery_eager(request):
    """Run tasks in-process unless the test drives a real worker."""
    if request.node.get_closest_marker("worker"):
        yield
        return
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _isolated_var_dir(settings, tmp_path):
    """Open-data files and other generated output go to a per-test folder."""
    settings.OPENDATA_DIR = tmp_path / "opendata"
