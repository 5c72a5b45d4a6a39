"""What outside sources (Wikidata, Comptoir du Libre, the CNLL, HAL, the forges) say about the
catalog's entries, stored apart from what curators typed, and how each source last answered."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Source(models.TextChoices):
    WIKIDATA = "wikidata", "Wikidata"
    COMPTOIR = "comptoir", "Comptoir du Libre"
    CNLL = "cnll", _("CNLL directory")
    HAL = "hal", "HAL"
    FORGE = "forge", _("forge releases")


class Match(models.TextChoices):
    # The catalog carries the source's id (sill-2020.csv's Wikidata id, sill.json's "co"...).
    IDENTIFIER = "identifier", _("catalog identifier")
    # Found by name: "certain" when name and website agree, else proposed to curators.
    CERTAIN = "certain", _("name and website agree")
    UNCERTAIN = "uncertain", _("name only, to confirm")


class RecordStatus(models.TextChoices):
    PENDING = "pending", _("not fetched yet")
    FETCHED = "fetched", _("fetched")
    MISSING = "missing", _("unknown to the source")
    REJECTED = "rejected", _("match rejected by a curator")


class EnrichmentRecord(models.Model):
    """One source's knowledge of one entry: the normalised fields and the raw answer kept."""

    software = models.ForeignKey(
        "catalog.Software", on_delete=models.CASCADE, related_name="enrichment_records"
    )
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    external_id = models.CharField(_("id at the source"), max_length=500)
    url = models.URLField(_("page at the source"), blank=True, max_length=500)
    match = models.CharField(_("match"), max_length=20, choices=Match.choices)
    # Only confirmed records are shown; uncertain name matches wait for a curator.
    confirmed = models.BooleanField(_("confirmed"), default=False)
    status = models.CharField(
        _("status"), max_length=20, choices=RecordStatus.choices, default=RecordStatus.PENDING
    )
    fields = models.JSONField(_("normalised fields"), default=dict, blank=True)
    raw = models.JSONField(_("raw answer"), default=dict, blank=True)
    # A license the source gives that is not a free SPDX expression or differs from the
    # catalog's: shown to curators, never applied.
    license_problem = models.CharField(_("license problem"), max_length=500, blank=True)
    fetched_at = models.DateTimeField(_("fetched at"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["software", "source"]
        verbose_name = _("enrichment record")
        verbose_name_plural = _("enrichment records")
        constraints = [
            models.UniqueConstraint(
                fields=["software", "source", "external_id"],
                name="enrichment_record_unique_software_source_id",
            )
        ]
        indexes = [models.Index(fields=["source", "confirmed"])]

    def __str__(self) -> str:
        return f"{self.get_source_display()} {self.external_id} → {self.software}"


class SourceStatus(models.Model):
    """How a source answered its last refreshes: what the admin's status list shows."""

    source = models.CharField(_("source"), max_length=20, choices=Source.choices, unique=True)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    last_success_at = models.DateTimeField(_("last success"), null=True, blank=True)
    last_error_at = models.DateTimeField(_("last error at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    # The HTTP status of the last failure (500, 429...), when there was one.
    last_error_status = models.PositiveIntegerField(
        _("last error HTTP status"), null=True, blank=True
    )
    runs = models.PositiveIntegerField(_("refreshes"), default=0)
    failures = models.PositiveIntegerField(_("failed refreshes"), default=0)
    last_requests = models.PositiveIntegerField(_("requests in the last refresh"), default=0)
    last_updated = models.PositiveIntegerField(_("records changed in the last refresh"), default=0)
    last_not_modified = models.BooleanField(_("last refresh: nothing changed"), default=False)

    class Meta:
        ordering = ["source"]
        verbose_name = _("source status")
        verbose_name_plural = _("source statuses")

    def __str__(self) -> str:
        return self.get_source_display()

    @property
    def ok(self) -> bool:
        return self.last_success_at is not None and (
            self.last_error_at is None or self.last_success_at >= self.last_error_at
        )


class SourceHttpCacheEntry(models.Model):
    """A source's validators (ETag) and answers, so a refresh sends conditional requests."""

    source = models.CharField(max_length=20, choices=Source.choices)
    url = models.CharField(max_length=2000, unique=True)
    etag = models.CharField(max_length=500)
    body = models.BinaryField()  # zlib-compressed
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["source"])]

    def __str__(self) -> str:
        return self.url


class SoftwareLogo(models.Model):
    """An entry's logo fetched once and served from our own origin: a PNG thumbnail of a raster
    image, or the SVG file itself (served sandboxed)."""

    software = models.OneToOneField(
        "catalog.Software", on_delete=models.CASCADE, related_name="stored_logo"
    )
    source_url = models.URLField(_("logo fetched from"), max_length=500)
    content_type = models.CharField(_("content type"), max_length=50)
    content = models.BinaryField(_("image"))
    digest = models.CharField(max_length=64)  # sha256 of the content: the served ETag
    fetched_at = models.DateTimeField(_("fetched at"))

    class Meta:
        verbose_name = _("logo")
        verbose_name_plural = _("logos")

    def __str__(self) -> str:
        return f"{self.software} logo"
