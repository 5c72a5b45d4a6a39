"""Health checks (django-health-check) shared by the web endpoint and ``manage.py liveness``."""

from __future__ import annotations

import dataclasses
import datetime as dt
import time
from pathlib import Path

from health_check.base import HealthCheck
from health_check.exceptions import ServiceUnavailable
from health_check.views import HealthCheckView


@dataclasses.dataclass
class LivenessFile(HealthCheck):
    """A process touches ``path`` while it is alive: fail when it has not for ``max_age``."""

    name: str
    path: Path = dataclasses.field(repr=False)
    max_age: dt.timedelta = dataclasses.field(repr=False)

    def run(self) -> None:
        try:
            age = time.time() - self.path.stat().st_mtime
        except FileNotFoundError as error:
            raise ServiceUnavailable(f"{self.path} does not exist: never started here") from error
        if age > self.max_age.total_seconds():
            raise ServiceUnavailable(
                f"{self.path} last touched {age:.0f}s ago "
                f"(more than {self.max_age.total_seconds():.0f}s): hung or dead"
            )


class HealthView(HealthCheckView):
    """The library's view, answering 503 (not 500) when a check fails: the site is not broken,
    something it depends on is unavailable."""

    async def get(self, request, *args, **kwargs):
        response = await super().get(request, *args, **kwargs)
        if response.status_code == 500:
            response.status_code = 503
        return response
