"""Pages and endpoints of the enrichment: logos from our origin, the providers page, the
proposal form's search of the sources."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
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
def proposal_search(request: HttpRequest) -> HttpResponse:
    """Candidates from Wikidata and HAL for a name typed in the proposal form: JSON for the
    form's script (``format=json``), else a page of links that pre-fill the form."""
    wants_json = request.GET.get("format") == "json"
    if not request.user.is_authenticated:
        if wants_json:
            return JsonResponse({"detail": _("Sign in to propose a software.")}, status=403)
        return redirect_to_login(request.get_full_path())
    text = request.GET.get("q", "").strip()
    error, candidates = "", []
    if len(text) < 2 or len(text) > 100 or "\x00" in text:
        error, status = _("Type between 2 and 100 characters."), 400
    else:
        try:
            candidates, status = proposal_candidates(text=text), 200
        except ProposalSearchError as failure:
            error, status = str(failure), 502
    for candidate in candidates:
        candidate["propose_url"] = (
            reverse("web:software_propose")
            + "?"
            + urlencode({"source": candidate["source"], "id": candidate["id"]})
        )
    if wants_json:
        body = {"results": candidates} if not error else {"detail": error, "results": []}
        return JsonResponse(body, status=status)
    return render(
        request,
        "enrichment/proposal_candidates.html",
        {"title": _("Fill the proposal from a source"), "q": text, "error": error,
         "candidates": candidates},
        status=status,
    )  # fmt: skip
