"""The recommended free-software catalog (SILL): software, declarations, instances, comments."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from inventory.catalog.search.analysis import text_words
from inventory.catalog.taxonomy import CategoryGroup


class SourceURLField(models.URLField):
    """A source-code URL: besides http(s), the git://, svn:// and ftp:// addresses the SILL lists."""

    default_validators = [URLValidator(schemes=["http", "https", "git", "svn", "ftp", "ssh"])]

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": forms.CharField, **kwargs})


class Category(models.Model):
    """A category curators manage in the admin (not free text)."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    description = models.TextField(_("description"), blank=True)
    group = models.PositiveSmallIntegerField(
        _("group"), choices=CategoryGroup.choices, default=CategoryGroup.OTHER
    )

    class Meta:
        ordering = ["group", "name"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self) -> str:
        return self.name


class SoftwareStatus(models.TextChoices):
    PROPOSED = "proposed", _("proposed")
    OBSERVATION = "observation", _("in observation")
    RECOMMENDED = "recommended", _("recommended")
    DEREFERENCED = "dereferenced", _("end of recommendation")


class Workgroup(models.TextChoices):
    MIMO = "MIMO", "MIMO"
    MIMPROD = "MIMPROD", "MIMPROD"
    MIMDEV = "MIMDEV", "MIMDEV"
    MIMDEVOPS = "MIMDEVOPS", "MIMDEVOPS"


class Software(models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    function = models.CharField(
        _("function"), max_length=500, blank=True, help_text=_("What it does, in one line.")
    )
    description = models.TextField(_("short description"), blank=True)
    description_en = models.TextField(_("short description (English)"), blank=True)
    long_description = models.TextField(_("long description (Markdown)"), blank=True)
    license = models.CharField(_("license (SPDX expression)"), max_length=300, blank=True)
    license_raw = models.CharField(_("license as the source gave it"), max_length=300, blank=True)
    # Imports are lenient: a license text that is not a free SPDX expression is kept and flagged.
    license_needs_review = models.BooleanField(_("license needs review"), default=False)
    license_problem = models.CharField(_("license problem"), max_length=500, blank=True)
    homepage_url = models.URLField(_("website"), blank=True, max_length=500)
    documentation_url = models.URLField(_("documentation"), blank=True, max_length=500)
    source_url = SourceURLField(_("source code"), blank=True, max_length=500)
    repository = models.ForeignKey(
        "forges.Repository",
        verbose_name=_("repository in the inventory"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="software",
    )
    logo_url = models.URLField(_("logo"), blank=True, max_length=500)
    external_id = models.CharField(_("external id"), max_length=100, blank=True)
    external_data_origin = models.CharField(
        _("external id origin"),
        max_length=20,
        blank=True,
        choices=[("wikidata", "Wikidata"), ("HAL", "HAL")],
    )
    comptoir_du_libre_id = models.PositiveIntegerField(
        _("Comptoir du Libre id"), null=True, blank=True
    )
    framalibre_id = models.CharField(_("Framalibre reference"), max_length=200, blank=True)
    framalibre_name = models.CharField(_("Framalibre name"), max_length=200, blank=True)
    keywords = models.JSONField(_("keywords"), default=list, blank=True)
    categories = models.ManyToManyField(
        Category, verbose_name=_("categories"), blank=True, related_name="software"
    )
    component = models.CharField(_("component"), max_length=200, blank=True)
    sector = models.CharField(_("sector"), max_length=200, blank=True)
    workgroup = models.CharField(
        _("working group"), max_length=20, blank=True, choices=Workgroup.choices
    )
    audience = models.CharField(_("audience"), max_length=300, blank=True)
    use_context = models.TextField(_("context of use"), blank=True)
    label = models.CharField(_("label"), max_length=200, blank=True)
    # Software types: several at once.
    is_desktop = models.BooleanField(_("desktop or mobile"), default=False)
    os_windows = models.BooleanField("Windows", default=False)
    os_linux = models.BooleanField("Linux", default=False)
    os_mac = models.BooleanField("macOS", default=False)
    os_android = models.BooleanField("Android", default=False)
    os_ios = models.BooleanField("iOS", default=False)
    is_cloud = models.BooleanField(_("web application"), default=False)
    is_stack = models.BooleanField(_("stack or library"), default=False)
    version_min = models.CharField(_("minimal recommended version"), max_length=100, blank=True)
    version_max = models.CharField(_("maximal recommended version"), max_length=100, blank=True)
    latest_version = models.CharField(_("latest version"), max_length=100, blank=True)
    latest_version_published_at = models.DateTimeField(
        _("latest version published"), null=True, blank=True
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent software"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
    )
    parent_raw = models.CharField(
        _("parent as the source named it"),
        max_length=200,
        blank=True,
        help_text=_("Kept when the parent is not (yet) an entry of the catalog."),
    )
    # Not symmetrical: the SILL lists "similar to" one way (A may list B while B lists nothing).
    similar = models.ManyToManyField(
        "self",
        verbose_name=_("similar software"),
        blank=True,
        symmetrical=False,
        related_name="similar_of",
    )
    similar_raw = models.CharField(
        _("similar software as the source gave them"),
        max_length=500,
        blank=True,
        help_text=_("Ids or names; names that match no entry stay here."),
    )
    formats = models.CharField(_("file formats"), max_length=300, blank=True)
    proprietary_equivalents = models.TextField(_("proprietary equivalents"), blank=True)
    # Unknown (None) unless a source said yes or no: the SILL's 2022 files say only "yes".
    is_from_french_public_service = models.BooleanField(
        _("developed by the French public sector"), null=True, blank=True
    )
    is_in_support_contract = models.BooleanField(
        _("covered by the support contract"), null=True, blank=True
    )
    respects_rgaa = models.BooleanField(_("respects the RGAA"), null=True, blank=True)
    workshop_urls = models.JSONField(_("workshop URLs"), default=list, blank=True)
    test_url = models.URLField(_("test URL"), blank=True, max_length=500)
    status = models.CharField(
        _("status"), max_length=20, choices=SoftwareStatus.choices, default=SoftwareStatus.PROPOSED
    )
    dereferencing_reason = models.TextField(_("reason for ending the recommendation"), blank=True)
    dereferenced_at = models.DateTimeField(_("end of recommendation"), null=True, blank=True)
    last_recommended_version = models.CharField(
        _("last recommended version"), max_length=100, blank=True
    )
    catalog_years = models.JSONField(_("years in the catalog"), default=list, blank=True)
    referenced_since = models.DateTimeField(_("referenced since"), null=True, blank=True)
    sill_id = models.PositiveIntegerField(_("SILL id"), null=True, blank=True, unique=True)
    # Set when the last referent of a recommended software withdrew; curators clear it.
    needs_referent = models.BooleanField(_("recommended without a referent"), default=False)
    # The last record each import format gave (keyed by format), so an export can give back
    # the exact texts (empty vs null vs absent, spacing) wherever the entry was not edited since.
    source_records = models.JSONField(
        _("imported records"), default=dict, blank=True, editable=False
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="software_added",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(m2m_fields=[categories])

    class Meta:
        ordering = ["name"]
        verbose_name = _("software")
        verbose_name_plural = _("software")

    def __str__(self) -> str:
        return self.name


class SoftwareSearchDocument(models.Model):
    """What the catalog search reads for one entry: its texts analysed into tokens by weight
    (``inventory/catalog/search/``), rebuilt by the services and importers that change the
    entry. On PostgreSQL a generated ``search_vector`` column with a GIN index and a trigram
    index on ``name`` serve it (added by migration, not declared here: SQLite has neither)."""

    software = models.OneToOneField(
        Software, primary_key=True, on_delete=models.CASCADE, related_name="search_document"
    )
    name = models.CharField(_("name, folded"), max_length=200)
    tokens_a = models.TextField(blank=True)
    tokens_b = models.TextField(blank=True)
    tokens_c = models.TextField(blank=True)
    tokens_d = models.TextField(blank=True)
    # The entry's updated_at when the document was built: an older document is rebuilt.
    source_updated_at = models.DateTimeField(null=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")

    def __str__(self) -> str:
        return self.name


def expressions_split(text: str) -> list[str]:
    """Comma- or line-separated expressions, trimmed, without empty ones or repeats."""
    items = (item.strip() for line in (text or "").splitlines() for item in line.split(","))
    return list(dict.fromkeys(item for item in items if item))


class SearchSynonym(models.Model):
    """A need as agents word it: equivalent expressions searched together, and expressions
    searched along with them one way (curators edit them in the admin)."""

    terms = models.TextField(
        _("equivalent expressions"),
        help_text=_(
            "Separated by commas. Typing any of them also searches for the others: "
            "“visioconférence, visio, webconférence”."
        ),
    )
    related = models.TextField(
        _("also searched"),
        blank=True,
        help_text=_(
            "Separated by commas. Searched too when one of the expressions above is typed, not "
            "the other way round: “suite bureautique” for “tableur”."
        ),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["terms"]
        verbose_name = _("search synonym")
        verbose_name_plural = _("search synonyms")

    def __str__(self) -> str:
        return ", ".join(self.term_list)

    @property
    def term_list(self) -> list[str]:
        return expressions_split(self.terms)

    @property
    def related_list(self) -> list[str]:
        return expressions_split(self.related)

    def clean(self) -> None:
        errors = {}
        for field, expressions in (("terms", self.term_list), ("related", self.related_list)):
            ignored = [e for e in expressions if not any(text_words(e))]
            if ignored:
                errors[field] = _(
                    "The search ignores these expressions (no letter or digit, or only common "
                    "words such as “de” or “logiciel”): %(expressions)s."
                ) % {"expressions": ", ".join(f"« {e} »" for e in ignored)}
        if not self.term_list and "terms" not in errors:
            errors["terms"] = _("Give at least one expression.")
        if errors:
            raise ValidationError(errors)


class ReferentDeclaration(models.Model):
    """An agent declares they are a referent of a software in their organisation."""

    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="referent_declarations"
    )
    software = models.ForeignKey(Software, on_delete=models.CASCADE, related_name="referents")
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="referent_declarations"
    )
    use_case = models.TextField(_("use case"), blank=True)
    is_technical_expert = models.BooleanField(_("technical expert"), default=False)
    version = models.CharField(_("version"), max_length=100, blank=True)
    service_url = models.URLField(_("service URL"), blank=True, max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["software", "organisation"]
        constraints = [
            models.UniqueConstraint(
                fields=["agent", "software"], name="referent_unique_agent_software"
            )
        ]

    def __str__(self) -> str:
        return f"{self.agent} — referent of {self.software}"


class UserDeclaration(models.Model):
    """An agent declares they use a software in their organisation."""

    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="user_declarations"
    )
    software = models.ForeignKey(Software, on_delete=models.CASCADE, related_name="users")
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="user_declarations"
    )
    use_case = models.TextField(_("use case"), blank=True)
    version = models.CharField(_("version"), max_length=100, blank=True)
    os = models.CharField(_("operating system"), max_length=50, blank=True)
    service_url = models.URLField(_("service URL"), blank=True, max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["software", "organisation"]
        constraints = [
            models.UniqueConstraint(fields=["agent", "software"], name="user_unique_agent_software")
        ]

    def __str__(self) -> str:
        return f"{self.agent} — user of {self.software}"


class Instance(models.Model):
    """A running instance of a software offered by an organisation."""

    software = models.ForeignKey(Software, on_delete=models.CASCADE, related_name="instances")
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="instances"
    )
    target_audience = models.TextField(_("target audience"), blank=True)
    public_url = models.URLField(
        _("public URL"), blank=True, max_length=500, help_text=_("Empty for an internal instance.")
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="instances_added",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["software", "organisation"]

    def __str__(self) -> str:
        return f"{self.software} at {self.organisation}"


class Comment(models.Model):
    software = models.ForeignKey(Software, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="comments"
    )
    body = models.TextField(_("comment (Markdown)"))
    body_html = models.TextField(editable=False)  # sanitised on the server at write time
    edited = models.BooleanField(default=False)
    is_hidden = models.BooleanField(_("hidden by moderation"), default=False)
    hidden_reason = models.CharField(_("moderation reason"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"Comment by {self.author} on {self.software}"


class CommentReport(models.Model):
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="comment_reports"
    )
    reason = models.TextField(_("reason"), blank=True)
    resolved = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["comment", "reporter"], name="report_unique_comment_reporter"
            )
        ]

    def __str__(self) -> str:
        return f"Report by {self.reporter} on comment {self.comment_id}"
