"""The daily task regenerates the files through the service."""

import pytest

from inventory.opendata.services import manifest_read
from inventory.opendata.tasks import exports_generate_task

pytestmark = pytest.mark.django_db


def test_task_publishes_a_new_manifest(world):
    generated_at = exports_generate_task.delay().get()
    assert manifest_read()["generated_at"] == generated_at
