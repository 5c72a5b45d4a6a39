"""Property-based run of the API against its own OpenAPI schema (bounded): no server error,
and every answer (status code, content type, body) is the one the schema documents."""

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from config.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
# The same examples on every run (CI must not pass or fail by chance); a bug found once gets
# its own regression test in test_read.py or test_write.py.
BOUNDED = {
    "deadline": None,
    "derandomize": True,
    "database": None,
    "suppress_health_check": list(HealthCheck),
}
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def wsgi_keeps_the_test_connection():
    """The WSGI handler closes the database connection after each request; the test's
    transaction must survive it, as Django's own test client arranges."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.mark.django_db
@schema.include(method="GET").parametrize()
@settings(max_examples=12, **BOUNDED)
def test_anonymous_reads_conform_to_the_schema(case, world, wsgi_keeps_the_test_connection):
    case.call_and_validate(checks=CHECKS)


@pytest.mark.django_db
@schema.exclude(method="GET").parametrize()
@settings(max_examples=6, **BOUNDED)
def test_agent_writes_conform_to_the_schema(case, world, wsgi_keeps_the_test_connection):
    token, _ = Token.objects.get_or_create(user=world.public_agent)
    case.call_and_validate(checks=CHECKS, headers={"Authorization": f"Token {token.key}"})
