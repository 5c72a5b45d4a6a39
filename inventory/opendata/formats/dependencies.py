"""The dependencies dataset, and code.gouv.fr's former ``libraries`` file as a compatibility file."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import quote

from django.db.models.functions import Coalesce

from inventory.dependencies.models import Dependency
from inventory.dependencies.selectors import published_packages
from inventory.forges.selectors import PUBLIC_ACCOUNT_STATES
from inventory.opendata.formats.writers import Column

CHUNK = 2000

DEPENDENCY_COLUMNS = (
    Column("repository_id", "integer", "The repository's identifier in this inventory"),
    Column("repository", "string", "owner/name on its forge"),
    Column("repository_url", "string", "The repository's web page"),
    Column("forge", "string", "Forge host"),
    Column("organisation", "string", "Slug of the public organisation"),
    Column("ministry", "string", "Slug of its ministry"),
    Column("ecosystem", "string", "npm, pypi, packagist, maven, rubygems, go, cargo or nuget"),
    Column("package", "string", "Package name, normalised as its ecosystem does (PEP 503...)"),
    Column("requirement", "string", "Version constraint a manifest declares"),
    Column("resolved_version", "string", "Version a lock file pins"),
    Column("scope", "string", "runtime or development"),
    Column("direct", "boolean", "Declared by a manifest (false: only a lock file lists it)"),
    Column("manifest", "string", "The root file that declares it"),
)


def dependency_rows() -> Iterator[tuple]:
    """Dependencies of listed repositories (not gone, of public accounts), by id."""
    queryset = (
        Dependency.objects.filter(
            repository__gone_at__isnull=True,
            repository__account__state__in=PUBLIC_ACCOUNT_STATES,
        )
        .annotate(
            organisation_slug=Coalesce(
                "repository__account__organisation__slug", "repository__forge__organisation__slug"
            ),
            ministry_slug=Coalesce(
                "repository__account__organisation__ministry__slug",
                "repository__forge__organisation__ministry__slug",
            ),
        )
        .order_by("pk")
        .values_list(
            "repository_id",
            "repository__full_name",
            "repository__html_url",
            "repository__forge__host",
            "organisation_slug",
            "ministry_slug",
            "package__ecosystem",
            "package__name",
            "requirement",
            "resolved_version",
            "scope",
            "direct",
            "manifest",
        )  # fmt: skip
    )
    for row in queryset.iterator(chunk_size=CHUNK):
        yield (*row[:4], row[4] or "", row[5] or "", *row[6:])


# code.gouv.fr published the packages of public-sector repositories (from libraries.io) as
# ``libraries``: its fields, all text, from the packages our repositories' manifests publish.
LIBRARY_COLUMNS = (
    Column("deprecation_reason", "string", "Always empty (not known)"),
    Column("description", "string", "Description of the repository publishing it"),
    Column("name", "string", "Package name"),
    Column("forks", "string", "Forks of that repository"),
    Column("homepage", "string", "Homepage of the repository, else its web page"),
    Column("keywords", "string", "Topics of the repository, as a list's text"),
    Column("language", "string", "Main language of the repository"),
    Column("stars", "string", "Stars of the repository"),
    Column("latest_download_url", "string", "Always empty (not known)"),
    Column("latest_stable_release_number", "string", "Version its manifest declares"),
    Column("latest_stable_release_published_at", "string", "Always empty (not known)"),
    Column("license_normalized", "string", "True when the license is an SPDX identifier"),
    Column("licenses", "string", "License of the repository (SPDX)"),
    Column("normalized_licenses", "string", "The same, as a list's text"),
    Column("library_manager_url", "string", "Its page on the package registry"),
    Column("platform", "string", "Package registry, as libraries.io named them"),
    Column("rank", "string", "Always empty (not computed)"),
    Column("repository_url", "string", "The repository publishing it"),
    Column("status", "string", "Always empty (not known)"),
)
PLATFORMS = {
    "npm": ("NPM", "https://www.npmjs.com/package/{}"),
    "pypi": ("Pypi", "https://pypi.org/project/{}/"),
    "packagist": ("Packagist", "https://packagist.org/packages/{}"),
    "maven": ("Maven", "https://central.sonatype.com/artifact/{}"),
    "rubygems": ("Rubygems", "https://rubygems.org/gems/{}"),
    "go": ("Go", "https://pkg.go.dev/{}"),
    "cargo": ("Cargo", "https://crates.io/crates/{}"),
    "nuget": ("NuGet", "https://www.nuget.org/packages/{}"),
}


def _python_list(values: list[str]) -> str:
    """A list as libraries.io's export wrote it: ['a', 'b']."""
    return "[" + ", ".join(repr(str(value)) for value in values) + "]"


def library_rows() -> Iterator[tuple]:
    fields = ("ecosystem", "package_name", "package_version", "repository__description",
              "repository__forks", "repository__homepage", "repository__html_url",
              "repository__topics", "repository__language", "repository__stars",
              "repository__license_spdx")  # fmt: skip
    for row in published_packages().values_list(*fields).iterator(chunk_size=CHUNK):
        (ecosystem, name, version, description, forks, homepage, html_url, topics, language,
         stars, license_spdx) = row  # fmt: skip
        platform, registry = PLATFORMS[ecosystem]
        registry_name = name.replace(":", "/") if ecosystem == "maven" else name
        yield (
            "", description, name, str(forks), homepage or html_url, _python_list(topics or []),
            language, str(stars), "", version, "", str(bool(license_spdx)), license_spdx,
            _python_list([license_spdx] if license_spdx else []),
            registry.format(quote(registry_name, safe="/@")), platform, "", html_url, "",
        )  # fmt: skip
