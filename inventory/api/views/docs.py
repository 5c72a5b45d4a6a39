"""The API documentation page: Swagger UI served from this site (drf-spectacular-sidecar's
files), never from a CDN, with no inline script or style. (Redoc's page loads web fonts from
Google: not offered.)"""

from __future__ import annotations

import mimetypes
from pathlib import Path

import drf_spectacular_sidecar
from django.http import FileResponse, Http404
from django.urls import reverse
from drf_spectacular.views import SpectacularSwaggerSplitView

ASSETS = (
    Path(drf_spectacular_sidecar.__file__).parent / "static" / "drf_spectacular_sidecar"
).resolve()


def _asset_url(path: str) -> str:
    return reverse("api:docs-asset", kwargs={"path": path})


def docs_asset(request, path: str):
    """One file of Swagger UI or Redoc, from the installed sidecar package."""
    target = (ASSETS / path).resolve()
    if not target.is_relative_to(ASSETS) or not target.is_file() or target.suffix == ".map":
        raise Http404("No such documentation asset.")
    content_type = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
    response = FileResponse(target.open("rb"), content_type=content_type)
    response["Cache-Control"] = "public, max-age=86400"
    return response


class SwaggerView(SpectacularSwaggerSplitView):
    """Swagger UI with its start-up script served apart (``?script``) and no inline style, so
    the Content-Security-Policy needs no exception."""

    url_name = "api:schema"
    template_name = "api/swagger_ui.html"

    @staticmethod
    def _swagger_ui_resource(filename: str) -> str:
        return _asset_url(f"swagger-ui-dist/{filename}")

    @staticmethod
    def _swagger_ui_favicon() -> str:
        return _asset_url("swagger-ui-dist/favicon-32x32.png")
