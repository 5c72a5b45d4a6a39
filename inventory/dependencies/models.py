"""What public repositories depend on: packages per ecosystem, and each repository's manifests."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Ecosystem(models.TextChoices):
    NPM = "npm", "npm"
    PYPI = "pypi", "PyPI"
    PACKAGIST = "packagist", "Packagist"
    MAVEN = "maven", "Maven"
    RUBYGEMS = "rubygems", "RubyGems"
    GO = "go", "Go"
    CARGO = "cargo", "crates.io"
    NUGET = "nuget", "NuGet"


class Scope(models.TextChoices):
    RUNTIME = "runtime", _("runtime")
    DEVELOPMENT = "development", _("development")


class Package(models.Model):
    """A package of a registry, under its normalised name (PEP 503 for PyPI, lower case for npm...)."""

    ecosystem = models.CharField(_("ecosystem"), max_length=20, choices=Ecosystem.choices)
    name = models.CharField(_("name"), max_length=300)

    class Meta:
        ordering = ["ecosystem", "name"]
        verbose_name = _("package")
        verbose_name_plural = _("packages")
        constraints = [
            models.UniqueConstraint(fields=["ecosystem", "name"], name="package_unique_name"),
        ]

    def __str__(self) -> str:
        return f"{self.ecosystem}:{self.name}"


class Dependency(models.Model):
    """A repository's dependency on a package, as its manifests and lock files declare it."""

    repository = models.ForeignKey(
        "forges.Repository", on_delete=models.CASCADE, related_name="dependencies"
    )
    package = models.ForeignKey(Package, on_delete=models.PROTECT, related_name="dependents")
    requirement = models.CharField(_("version constraint"), max_length=200, blank=True)
    resolved_version = models.CharField(_("resolved version"), max_length=100, blank=True)
    # Sortable form of the version a range filter compares: the resolved one, else the
    # constraint's lower bound ("" when neither says one).
    version_key = models.CharField(max_length=40, blank=True)
    scope = models.CharField(_("scope"), max_length=12, choices=Scope.choices)
    direct = models.BooleanField(_("direct"), default=True)
    manifest = models.CharField(_("declared in"), max_length=255)

    class Meta:
        ordering = ["repository", "package"]
        verbose_name = _("dependency")
        verbose_name_plural = _("dependencies")
        constraints = [
            models.UniqueConstraint(
                fields=["repository", "package"], name="dependency_unique_per_repository"
            ),
        ]
        indexes = [models.Index(fields=["package", "version_key"])]

    def __str__(self) -> str:
        return f"{self.repository_id} → {self.package}"


class ManifestStatus(models.TextChoices):
    PARSED = "parsed", _("read")
    MALFORMED = "malformed", _("malformed")
    TOO_LARGE = "too_large", _("too large")
    UNREADABLE = "unreadable", _("not given by the forge")


class Manifest(models.Model):
    """A manifest or lock file found in a repository's root at its last details fetch."""

    repository = models.ForeignKey(
        "forges.Repository", on_delete=models.CASCADE, related_name="manifests"
    )
    path = models.CharField(_("file"), max_length=255)
    ecosystem = models.CharField(_("ecosystem"), max_length=20, choices=Ecosystem.choices)
    kind = models.CharField(_("kind"), max_length=10)  # manifest or lock
    status = models.CharField(_("status"), max_length=12, choices=ManifestStatus.choices)
    error = models.TextField(_("error"), blank=True)
    dependencies_count = models.PositiveIntegerField(_("dependencies"), default=0)
    # The package the repository publishes, when the manifest names one.
    package_name = models.CharField(_("published package"), max_length=300, blank=True)
    package_version = models.CharField(_("published version"), max_length=100, blank=True)
    read_at = models.DateTimeField(_("read"))

    class Meta:
        ordering = ["repository", "path"]
        verbose_name = _("manifest")
        verbose_name_plural = _("manifests")
        constraints = [
            models.UniqueConstraint(fields=["repository", "path"], name="manifest_unique_path"),
        ]

    def __str__(self) -> str:
        return self.path
