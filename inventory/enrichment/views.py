"""Pages and endpoints of the enrichment: logos from our origin, the providers page, the
proposal form's search of the sources."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from inventory.enrichment import selectors
from inventory.enrichment.services.proposals import ProposalSearchError, proposal_candidates

# An SVG opened on its own must not run scripts nor load anything: a sandboxed document.
LOGO_CSP = "default-src 'none'; style-src 'unsafe-inline'; sandbox"


@require_GET
def software_logo(request: HttpRequest, software_id: int) -> HttpResponse:
    logo = selectors.logo_get(software_id=software_id)
    if logo is None:
        raise Http404
    etag = f'"{logo.digest}"'
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(bytes(logo.content), content_type=logo.content_type)
    response["ETag"] = etag
    response["Cache-Control"] = "public, max-age=86400"
    response["Content-Security-Policy"] = LOGO_CSP
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
def provider_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "enrichment/provider_list.html",
        {"title": _("Service providers"), "providers": selectors.providers_list()},
    )


@require_GET
def proposal_search(request: HttpRequest) -> JsonResponse:
    """Candidates from Wikidata and HAL for a name typed in the proposal form."""
    if not request.user.is_authenticated:
        return JsonResponse({"detail": _("Sign in to propose a software.")}, status=403)
    text = request.GET.get("q", "").strip()
    if len(text) < 2 or len(text) > 100 or "\x00" in text:
        return JsonResponse({"detail": _("Type between 2 and 100 characters.")}, status=400)
    try:
        candidates = proposal_candidates(text=text)
    except ProposalSearchError as error:
        return JsonResponse({"detail": str(error), "results": []}, status=502)
    return JsonResponse({"results": candidates})
