"""The API root, /api/v1/: where each collection, the schema and the documentation live."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from inventory.api.throttling import AnonymousRateThrottle
from inventory.api.views.base import BAD_CREDENTIALS, BAD_REQUEST, THROTTLED

# Link name → URL name, in the order a reader discovers the API.
ENDPOINTS = (
    ("repositories", "api:repository-list"),
    ("accounts", "api:account-list"),
    ("organisations", "api:organisation-list"),
    ("crawl_runs", "api:crawl-run-list"),
    ("packages", "api:package-list"),
    ("software", "api:software-list"),
    ("instances", "api:instance-list"),
    ("comments", "api:comment-list"),
    ("me_declarations", "api:me-declarations"),
    ("schema", "api:schema"),
    ("docs", "api:docs"),
)

RootSerializer = inline_serializer(
    "ApiRoot", {name: serializers.URLField() for name, _url_name in ENDPOINTS}
)


class ApiRootView(APIView):
    permission_classes = [AllowAny]
    throttle_classes = [AnonymousRateThrottle]

    @extend_schema(
        description=(
            "The API's entry point: the absolute URL of each collection, of the OpenAPI schema "
            "and of its documentation."
        ),
        responses={
            200: RootSerializer,
            400: BAD_REQUEST,
            403: BAD_CREDENTIALS,
            429: THROTTLED,
        },
    )
    def get(self, request):
        return Response(
            {name: reverse(url_name, request=request, format=None) for name, url_name in ENDPOINTS}
        )
