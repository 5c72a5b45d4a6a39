"""Item 9 and CI: schemathesis's command line, every check, generated cases, against the API
served live (pytest-django's live server, real HTTP), anonymously and with an agent's token.

Marked ``schemathesis``: run it alone with ``-m schemathesis``. Deterministic (the same cases
on every run) and bounded (``MAX_EXAMPLES`` per operation) to stay within a couple of minutes.
"""

import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache import cache
from rest_framework.authtoken.models import Token

from tests.inventory.api.factories import build_world

pytestmark = pytest.mark.schemathesis

MAX_EXAMPLES = 12
SCHEMATHESIS = str(Path(sys.executable).with_name("schemathesis"))


@pytest.fixture
def live_api(live_server, transactional_db, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "off"}}
    settings.API_CACHE_SECONDS = 0
    cache.clear()
    world = build_world()
    return live_server.url, world


def _schemathesis(url: str, *options: str, cwd: Path) -> subprocess.CompletedProcess:
    command = [SCHEMATHESIS, "run", f"{url}/api/schema/", "--checks", "all", "--phases"]
    command += ["examples,coverage,fuzzing", "--max-examples", str(MAX_EXAMPLES)]
    command += ["--generation-deterministic", "--request-timeout", "20", "--no-color"]
    # Our credentials only: generated cookies or tokens beside a valid token would be ignored,
    # rightly, and read by the ignored_auth check as "invalid credentials accepted".
    command += ["--generation-with-security-parameters", "false"]
    return subprocess.run(
        [*command, *options],
        cwd=cwd,  # its own files (.schemathesis/) go to the test's folder
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )


def test_anonymous_clients_get_what_the_schema_says(live_api, tmp_path):
    url, _world = live_api
    result = _schemathesis(url, "--include-method", "GET", cwd=tmp_path)
    assert result.returncode == 0, result.stdout[-12000:] + result.stderr[-3000:]


def test_an_agent_with_a_token_gets_what_the_schema_says(live_api, tmp_path):
    url, world = live_api
    token, _ = Token.objects.get_or_create(user=world.public_agent)
    result = _schemathesis(url, "--header", f"Authorization: Token {token.key}", cwd=tmp_path)
    assert result.returncode == 0, result.stdout[-12000:] + result.stderr[-3000:]
