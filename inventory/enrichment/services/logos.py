"""Logos fetched once into our own database and served from our origin (the CSP allows self):
a PNG thumbnail of a raster image, an SVG kept as it is and served sandboxed."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from PIL import Image, UnidentifiedImageError

from crawlers.sources.base import SourceError
from crawlers.sources.logos import fetch_logo
from inventory.catalog.models import Software
from inventory.core.content import content_changed
from inventory.enrichment.models import SoftwareLogo, Source
from inventory.enrichment.selectors import shown_records

SVG = "image/svg+xml"
# Decompression bombs: a logo is small; Pillow refuses images above this many pixels.
MAX_PIXELS = 25_000_000


class LogoError(Exception):
    pass


@dataclass
class LogoReport:
    fetched: int = 0
    unchanged: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


def logo_thumbnail(content: bytes, *, size: int) -> bytes:
    """A PNG at most ``size`` pixels wide and high; LogoError when it is not an image."""
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        with Image.open(io.BytesIO(content)) as image:
            image.load()
            image.thumbnail((size, size))
            if image.mode not in ("RGB", "RGBA", "L", "LA", "P"):
                image = image.convert("RGBA")
            output = io.BytesIO()
            image.save(output, format="PNG", optimize=True)
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as error:
        raise LogoError(f"not a readable image: {error}") from error
    return output.getvalue()


def logo_urls(*, software_ids: list[int] | None = None) -> dict[int, list[str]]:
    """software id → the logos to try, best first: the curator's URL, then the sources'
    (Wikidata, then Comptoir du Libre)."""
    entries = Software.objects.all()
    records = shown_records().filter(source__in=[Source.WIKIDATA, Source.COMPTOIR])
    if software_ids is not None:
        entries = entries.filter(pk__in=software_ids)
        records = records.filter(software_id__in=software_ids)
    urls: dict[int, list[str]] = {
        pk: [url] for pk, url in entries.values_list("pk", "logo_url") if url
    }
    for pk, _source, fields in records.order_by("-source").values_list(
        "software_id", "source", "fields"
    ):
        url = (fields or {}).get("logo_url")
        if url and url not in urls.get(pk, []):
            urls.setdefault(pk, []).append(url)
    return urls


def _image(url: str) -> tuple[str, bytes]:
    logo = fetch_logo(url, max_bytes=settings.LOGO_MAX_BYTES)
    if logo.content_type == SVG:
        return SVG, logo.content
    return "image/png", logo_thumbnail(logo.content, size=settings.LOGO_THUMBNAIL_SIZE)


def logos_refresh(
    *,
    software_ids: list[int] | None = None,
    refetch: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> LogoReport:
    """Fetch the logo of each entry whose stored one came from none of its current URLs (all of
    them with ``refetch``), trying its URLs in order. A logo that cannot be fetched or read
    leaves the stored one as it was."""
    urls = logo_urls(software_ids=software_ids)
    stored = dict(
        SoftwareLogo.objects.filter(software_id__in=list(urls)).values_list(
            "software_id", "source_url"
        )
    )
    report = LogoReport()
    for done, (pk, candidates) in enumerate(sorted(urls.items()), start=1):
        if progress:
            progress(done, len(urls))
        if stored.get(pk) in candidates and not refetch:
            report.unchanged += 1
            continue
        image = None
        for url in candidates:
            try:
                image = (url, *_image(url))
                break
            except (SourceError, LogoError) as error:
                report.errors.append(f"{url}: {getattr(error, 'message', error)}")
        if image is None:
            report.failed += 1
            continue
        url, content_type, content = image
        with transaction.atomic():
            SoftwareLogo.objects.update_or_create(
                software_id=pk,
                defaults={
                    "source_url": url,
                    "content_type": content_type,
                    "content": content,
                    "digest": hashlib.sha256(content).hexdigest(),
                    "fetched_at": timezone.now(),
                },
            )
            content_changed()
        report.fetched += 1
    return report
