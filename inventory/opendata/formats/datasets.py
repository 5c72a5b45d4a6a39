"""The published datasets: their columns (public fields only) and their rows, streamed from the
database in chunks, plus code.gouv.fr's compatible exports."""

from __future__ import annotations

from collections.abc import Iterator

from django.db import connection
from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    Func,
    Q,
    QuerySet,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Concat, NullIf
from django.utils.translation import gettext_noop as N_

from inventory.catalog.models import ReferentDeclaration, Software, SoftwareStatus, UserDeclaration
from inventory.core.csv_writer import ESCAPE, FORMULA_PREFIXES
from inventory.enrichment.selectors import shown_records, software_enrichment
from inventory.forges.models import Repository
from inventory.forges.selectors import account_list, organisation_list
from inventory.opendata.formats.dependencies import (
    DEPENDENCY_COLUMNS,
    LIBRARY_COLUMNS,
    dependency_rows,
    library_rows,
)
from inventory.opendata.formats.writers import Column, Dataset

CHUNK = 2000


class IsoDateTime(Func):
    """A date-time as ISO 8601 text in UTC with a Z, formatted by the database (much cheaper
    than building datetime objects in Python only to format them again)."""

    output_field = CharField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            template="to_char(%(expressions)s AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')",
            **extra_context,
        )

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            template="strftime('%%Y-%%m-%%dT%%H:%%M:%%SZ', %(expressions)s)",
            **extra_context,
        )


def _iso(*names: str) -> dict[str, IsoDateTime]:
    return {f"{name}_iso": IsoDateTime(name) for name in names}


class JoinedTextList(Func):
    """A JSON array of strings as one text, items joined with ";" (PostgreSQL)."""

    output_field = TextField()
    template = "array_to_string(ARRAY(SELECT jsonb_array_elements_text(%(expressions)s)), ';')"


class CopyStream:
    """The CSV rows (no header) of a query, as PostgreSQL's COPY writes them, in chunks."""

    def __init__(self, queryset: QuerySet) -> None:
        self.queryset = queryset
        self.rows = 0

    def __iter__(self) -> Iterator[bytes]:
        sql, params = self.queryset.query.sql_with_params()
        statement = f"COPY ({connection.ops.compose_sql(sql, params)}) TO STDOUT WITH (FORMAT csv)"
        with connection.cursor() as cursor:
            psycopg_cursor = cursor.cursor
            with psycopg_cursor.copy(statement) as copy:
                yield from copy
            self.rows = psycopg_cursor.rowcount


class FormulaSafe(Func):
    """``csv_writer.csv_cell`` in SQL, for the rows COPY formats: text starting with a formula
    prefix gets the escape character in front (PostgreSQL)."""

    output_field = TextField()
    # A bracket expression of the prefixes ("-" last, tab and CR as regex escapes).
    prefixes = "".join(
        {"\t": "\\t", "\r": "\\r"}.get(prefix, prefix)
        for prefix in sorted(FORMULA_PREFIXES, key=lambda prefix: prefix == "-")
    )
    template = f"regexp_replace(%(expressions)s, '^([{prefixes}])', '{ESCAPE * 2}\\1')"


def _csv_text(name: str):
    """A text column as the CSV shows it: empty and null alike (COPY would quote ""), formulas
    escaped."""
    return FormulaSafe(NullIf(F(name), Value(""), output_field=TextField()))


def _csv_boolean(name: str) -> Case:
    return Case(
        When(Q(**{name: True}), then=Value("true")),
        default=Value("false"),
        output_field=TextField(),
    )


def _stream(queryset: QuerySet, fields: list[str]) -> Iterator[tuple]:
    return queryset.values_list(*fields).iterator(chunk_size=CHUNK)


# --- Repositories -------------------------------------------------------------------------

REPOSITORY_COLUMNS = (
    Column("id", "integer", "Identifier in this inventory"),
    Column("forge", "string", "Forge host"),
    Column("remote_id", "string", "Identifier on the forge"),
    Column("account", "string", "Account (forge host/login)"),
    Column("organisation", "string", "Slug of the public organisation"),
    Column("ministry", "string", "Slug of its ministry"),
    Column("owner", "string", "Owner on the forge"),
    Column("name", "string", "Repository name"),
    Column("full_name", "string", "owner/name"),
    Column("html_url", "string", "Web page"),
    Column("description", "string", "Description"),
    Column("language", "string", "Main language"),
    Column("license", "string", "SPDX license identifier"),
    Column("topics", "array", "Topics"),
    Column("stars", "integer", "Stars"),
    Column("forks", "integer", "Forks"),
    Column("open_issues", "integer", "Open issues"),
    Column("subscribers", "integer", "Subscribers (watchers)"),
    Column("fork", "boolean", "Is a fork"),
    Column("archived", "boolean", "Is archived"),
    Column("template", "boolean", "Is a template"),
    Column("homepage", "string", "Homepage"),
    Column("default_branch", "string", "Default branch"),
    Column("has_readme", "boolean", "Has a README at its root"),
    Column("has_license_file", "boolean", "Has a LICENSE file at its root"),
    Column("has_contributing", "boolean", "Has a CONTRIBUTING file at its root"),
    Column("has_changelog", "boolean", "Has a CHANGELOG at its root"),
    Column("has_publiccode", "boolean", "Has a publiccode.yml at its root"),
    Column("awesome_score", "integer", "code.gouv.fr's awesome-score"),
    Column("created_at", "datetime", "Created on the forge (UTC)"),
    Column("updated_at", "datetime", "Last updated on the forge (UTC)"),
    Column("pushed_at", "datetime", "Last push (UTC)"),
    Column("first_seen_at", "datetime", "First seen by the crawler (UTC)"),
    Column("last_seen_at", "datetime", "Last seen by the crawler (UTC)"),
    Column("gone_at", "datetime", "No longer found on the forge since (UTC)"),
)

_REPOSITORY_FIELDS = [
    "pk",
    "forge__host",
    "remote_id",
    "account__login",
    "organisation_slug",
    "ministry_slug",
    "owner",
    "name",
    "full_name",
    "html_url",
    "description",
    "language",
    "license_spdx",
    "topics",
    "stars",
    "forks",
    "open_issues",
    "subscribers",
    "is_fork",
    "is_archived",
    "is_template",
    "homepage",
    "default_branch",
    "has_readme",
    "has_license_file",
    "has_contributing",
    "has_changelog",
    "has_publiccode",
    "reuse_score",
    "created_at_iso",
    "updated_at_iso",
    "pushed_at_iso",
    "first_seen_at_iso",
    "last_seen_at_iso",
    "gone_at_iso",
]


def _repositories(queryset: QuerySet[Repository] | None = None) -> QuerySet[Repository]:
    queryset = Repository.objects.all() if queryset is None else queryset
    return queryset.annotate(
        organisation_slug=Coalesce("account__organisation__slug", "forge__organisation__slug"),
        ministry_slug=Coalesce(
            "account__organisation__ministry__slug", "forge__organisation__ministry__slug"
        ),
        **_iso("created_at", "updated_at", "pushed_at", "first_seen_at", "last_seen_at", "gone_at"),
    ).order_by("pk")


def repository_rows(queryset: QuerySet[Repository] | None = None) -> Iterator[tuple]:
    """The dataset's rows: of every repository, or of a selection (a selector's queryset)."""
    for row in _stream(_repositories(queryset), _REPOSITORY_FIELDS):
        (pk, host, remote_id, login, organisation, ministry, owner, name, full_name, html_url,
         description, language, license_spdx, topics, stars, forks, open_issues, subscribers,
         is_fork, is_archived, is_template, homepage, default_branch, has_readme,
         has_license_file, has_contributing, has_changelog, has_publiccode, score,
         *moments) = row  # fmt: skip
        yield (
            pk, host, remote_id, f"{host}/{login}" if login else host, organisation or "",
            ministry or "", owner, name, full_name, html_url, description, language,
            license_spdx, topics or [], stars, forks, open_issues, subscribers, is_fork,
            is_archived, is_template, homepage, default_branch, has_readme, has_license_file,
            has_contributing, has_changelog, has_publiccode, score, *moments,
        )  # fmt: skip


def repository_csv_copy() -> CopyStream | None:
    """On PostgreSQL, the repositories CSV is formatted by the database and streamed by COPY
    (several times faster than Python's csv module); the columns are the same expressions."""
    if connection.vendor != "postgresql":
        return None
    text = _csv_text
    boolean = _csv_boolean
    columns = [
        F("pk"), text("forge__host"), text("remote_id"),
        FormulaSafe(Case(
            When(account__login="", then=F("forge__host")),
            default=Concat("forge__host", Value("/"), "account__login"),
            output_field=TextField(),
        )),
        text("organisation_slug"), text("ministry_slug"), text("owner"), text("name"),
        text("full_name"), text("html_url"), text("description"), text("language"),
        text("license_spdx"), FormulaSafe(NullIf(JoinedTextList("topics"), Value(""), output_field=TextField())), F("stars"),
        F("forks"), F("open_issues"), F("subscribers"), boolean("is_fork"),
        boolean("is_archived"), boolean("is_template"), text("homepage"),
        text("default_branch"), boolean("has_readme"), boolean("has_license_file"),
        boolean("has_contributing"), boolean("has_changelog"), boolean("has_publiccode"),
        F("reuse_score"), F("created_at_iso"), F("updated_at_iso"),
        F("pushed_at_iso"), F("first_seen_at_iso"), F("last_seen_at_iso"), F("gone_at_iso"),
    ]  # fmt: skip
    return CopyStream(_repositories().values_list(*columns))


# --- Accounts -----------------------------------------------------------------------------

ACCOUNT_COLUMNS = (
    Column("id", "integer", "Identifier in this inventory"),
    Column("forge", "string", "Forge host"),
    Column("forge_kind", "string", "github, gitlab, gitea, gogs or sourcehut"),
    Column("login", "string", "Login or group path (empty: the whole instance)"),
    Column("kind", "string", "org, user, group or instance"),
    Column("state", "string", "active or inactive"),
    Column("organisation", "string", "Slug of the public organisation"),
    Column("organisation_name", "string", "Name of the public organisation"),
    Column("name", "string", "Display name on the forge"),
    Column("description", "string", "Description on the forge"),
    Column("html_url", "string", "Web page"),
    Column("website", "string", "Website"),
    Column("location", "string", "Location"),
    Column("public_email", "string", "E-mail the forge shows publicly"),
    Column("avatar_url", "string", "Avatar"),
    Column("forge_created_at", "datetime", "Created on the forge (UTC)"),
    Column("followers", "integer", "Followers"),
    Column("floss_policy", "string", "Free-software policy URL"),
    Column("ospo_url", "string", "Open source programme office URL"),
    Column("repositories_count", "integer", "Repositories still on the forge"),
    Column("last_crawled_at", "datetime", "Last crawl (UTC)"),
    Column("last_crawl_status", "string", "Outcome of the last crawl"),
)

_ACCOUNT_FIELDS = [
    "pk",
    "forge__host",
    "forge__kind",
    "login",
    "kind",
    "state",
    "organisation__slug",
    "organisation__name",
    "name",
    "description",
    "html_url",
    "website",
    "location",
    "public_email",
    "avatar_url",
    "forge_created_at_iso",
    "followers",
    "floss_policy",
    "ospo_url",
    "repositories_count",
    "last_crawled_at_iso",
    "last_crawl_status",
]


def account_rows() -> Iterator[tuple]:
    accounts = account_list(filters={}).annotate(**_iso("forge_created_at", "last_crawled_at"))
    for row in _stream(accounts.order_by("pk"), _ACCOUNT_FIELDS):
        yield tuple(
            "" if value is None and index in (6, 7) else value for index, value in enumerate(row)
        )


# --- Organisations ------------------------------------------------------------------------

ORGANISATION_COLUMNS = (
    Column("slug", "string", "Identifier in this inventory"),
    Column("name", "string", "Name"),
    Column("acronym", "string", "Acronym"),
    Column("pso_id", "string", "Identifier in the Annuaire de l'administration"),
    Column("is_top", "boolean", "A ministry or equivalent top organisation"),
    Column("ministry", "string", "Slug of its ministry"),
    Column("parent", "string", "Slug of its parent organisation"),
    Column("website", "string", "Website"),
    Column("floss_policy", "string", "Free-software policy URL"),
    Column("ospo_url", "string", "Open source programme office URL"),
    Column("accounts_count", "integer", "Forge accounts"),
    Column("repositories_count", "integer", "Repositories still on their forge"),
)


def organisation_rows() -> Iterator[tuple]:
    fields = ["slug", "name", "acronym", "pso_id", "is_top", "ministry__slug", "parent__slug",
              "website", "floss_policy", "ospo_url", "accounts_count", "repositories_count"]  # fmt: skip
    for row in _stream(organisation_list(filters={}).order_by("slug"), fields):
        yield tuple("" if value is None else value for value in row)


# --- Software -----------------------------------------------------------------------------

SOFTWARE_COLUMNS = (
    Column("id", "integer", "Identifier in this catalog"),
    Column("slug", "string", "Slug"),
    Column("sill_id", "integer", "Identifier in the SILL"),
    Column("name", "string", "Name"),
    Column("function", "string", "What it does"),
    Column("description", "string", "Short description"),
    Column("license", "string", "SPDX license expression"),
    Column("status", "string", "observation, recommended or dereferenced"),
    Column("categories", "array", "Categories"),
    Column("keywords", "array", "Keywords"),
    Column("homepage_url", "string", "Website"),
    Column("documentation_url", "string", "Documentation"),
    Column("source_url", "string", "Source code"),
    Column("is_desktop", "boolean", "Desktop or mobile software"),
    Column("is_cloud", "boolean", "Web application"),
    Column("is_stack", "boolean", "Stack or library"),
    Column("version_min", "string", "Minimal recommended version"),
    Column("is_from_french_public_service", "boolean", "Developed by the French public sector"),
    Column("is_in_support_contract", "boolean", "Covered by the support contract"),
    Column("referent_count", "integer", "Referents"),
    Column("user_count", "integer", "Users"),
    Column("instance_count", "integer", "Instances"),
    Column("referenced_since", "datetime", "In the catalog since (UTC)"),
    Column("dereferenced_at", "datetime", "End of recommendation (UTC)"),
    Column("created_at", "datetime", "Created (UTC)"),
    Column("updated_at", "datetime", "Last updated (UTC)"),
    Column("external_id", "string", "Identifier at Wikidata or HAL (external_data_origin)"),
    Column("external_data_origin", "string", "wikidata or HAL"),
    Column("latest_version", "string", "Latest version (curators', else a source's)"),
    Column("latest_version_date", "string", "Publication date of the latest version (ISO 8601)"),
    Column(
        "latest_version_source",
        "string",
        "Where the latest version comes from: curator or a source",
    ),
    Column("service_providers", "array", "Service providers (Comptoir du Libre and the CNLL)"),
    Column(
        "enrichment_sources",
        "array",
        "Sources that describe the entry (wikidata, comptoir, cnll, hal, forge)",
    ),
)


def _enrichment_columns(software: Software, records: list) -> tuple:
    """The enrichment of an entry as the catalog shows it (curator first, then the sources)."""
    enrichment = software_enrichment(software=software, records=records, with_similar=False)
    version = enrichment.facts.get("latest_version")
    number = published = source = ""
    if version is not None:
        value = version.value if isinstance(version.value, dict) else {"number": version.value}
        number = value.get("number") or ""
        published = value.get("published") or ""
        source = version.source
    return (
        software.external_id, software.external_data_origin, number, published, source,
        [provider.name for provider in enrichment.providers],
        sorted({record.source for record in records}),
    )  # fmt: skip


def _published_software() -> QuerySet[Software]:
    return Software.objects.exclude(status=SoftwareStatus.PROPOSED)


def software_rows() -> Iterator[tuple]:
    queryset = (
        _published_software()
        .annotate(
            referent_count=Count("referents", distinct=True),
            user_count=Count("users", distinct=True),
            instance_count=Count("instances", distinct=True),
        )
        .prefetch_related("categories")
        .order_by("pk")
    )
    records: dict[int, list] = {}
    for record in shown_records().order_by("source", "external_id"):
        records.setdefault(record.software_id, []).append(record)
    for software in queryset.iterator(chunk_size=CHUNK):
        yield (
            software.pk, software.slug, software.sill_id, software.name, software.function,
            software.description, software.license, software.status,
            [category.name for category in software.categories.all()],
            [str(keyword) for keyword in software.keywords or []],
            software.homepage_url, software.documentation_url, software.source_url,
            software.is_desktop, software.is_cloud, software.is_stack, software.version_min,
            software.is_from_french_public_service, software.is_in_support_contract,
            software.referent_count, software.user_count, software.instance_count,
            software.referenced_since, software.dereferenced_at, software.created_at,
            software.updated_at,
            *_enrichment_columns(software, records.get(software.pk, [])),
        )  # fmt: skip


# --- Declarations (counts only: no agent identity) ----------------------------------------

DECLARATION_COLUMNS = (
    Column("software", "string", "Slug of the software"),
    Column("software_name", "string", "Name of the software"),
    Column("organisation", "string", "Slug of the declaring organisation"),
    Column("organisation_name", "string", "Name of the declaring organisation"),
    Column("referent_count", "integer", "Referents of the software in the organisation"),
    Column("technical_expert_count", "integer", "Of whom technical experts"),
    Column("user_count", "integer", "Users of the software in the organisation"),
)


def _grouped(model, **extra) -> Iterator[tuple]:
    queryset = (
        model.objects.exclude(software__status=SoftwareStatus.PROPOSED)
        .values("software_id", "organisation_id")
        .annotate(
            software_slug=F("software__slug"),
            software_name=F("software__name"),
            organisation_slug=F("organisation__slug"),
            organisation_name=F("organisation__name"),
            count=Count("pk"),
            **extra,
        )
        .order_by("software_id", "organisation_id")
    )
    names = ["software_id", "organisation_id", "software_slug", "software_name",
             "organisation_slug", "organisation_name", "count", *extra]  # fmt: skip
    return _stream(queryset, names)


def declaration_rows() -> Iterator[tuple]:
    """Merge the referent and user counts, both ordered by (software, organisation)."""
    referents = _grouped(
        ReferentDeclaration, experts=Count("pk", filter=Q(is_technical_expert=True))
    )
    users = _grouped(UserDeclaration)
    referent, user = next(referents, None), next(users, None)
    while referent is not None or user is not None:
        referent_key = referent[:2] if referent is not None else None
        user_key = user[:2] if user is not None else None
        if user_key is None or (referent_key is not None and referent_key < user_key):
            yield (*referent[2:6], referent[6], referent[7], 0)
            referent = next(referents, None)
        elif referent_key is None or user_key < referent_key:
            yield (*user[2:6], 0, 0, user[6])
            user = next(users, None)
        else:
            yield (*referent[2:6], referent[6], referent[7], user[6])
            referent, user = next(referents, None), next(users, None)


# --- code.gouv.fr compatibility -----------------------------------------------------------

CODEGOUVFR_REPOSITORY_COLUMNS = (
    Column("id", "string", "The repository's web URL"),
    Column("full_name", "string", "owner/name"),
    Column("repo_name", "string", "Repository name"),
    Column("owner", "string", "https://host/owner"),
    Column("platform", "string", "Forge host"),
    Column("description", "string", "Description"),
    Column("language", "string", "Main language"),
    Column("license", "string", "License (SPDX identifier)"),
    Column("fork", "boolean", "Is a fork"),
    Column("archived", "boolean", "Is archived"),
    Column("template", "boolean", "Is a template"),
    Column("forks_count", "integer", "Forks"),
    Column("updated_at", "datetime", "Last updated (UTC)"),
    Column("publiccode", "boolean", "Has a publiccode.yml"),
    Column("contributing", "boolean", "Has a CONTRIBUTING file"),
    Column("awesome-score", "integer", "Reusability score (code.gouv.fr's rule)"),
)


def codegouvfr_repository_rows() -> Iterator[tuple]:
    for row in repository_rows():
        record = dict(zip((column.name for column in REPOSITORY_COLUMNS), row, strict=True))
        if record["gone_at"] is not None:
            continue
        yield (
            record["html_url"], record["full_name"], record["name"],
            f"https://{record['forge']}/{record['owner']}", record["forge"],
            record["description"], record["language"], record["license"], record["fork"],
            record["archived"], record["template"], record["forks"],
            record["updated_at"] or record["pushed_at"], record["has_publiccode"],
            record["has_contributing"], record["awesome_score"],
        )  # fmt: skip


CODEGOUVFR_ORGANISATION_COLUMNS = (
    Column("id", "string", "The account's web URL"),
    Column("login", "string", "Login"),
    Column("name", "string", "Display name"),
    Column("description", "string", "Description"),
    Column("website", "string", "Website"),
    Column("location", "string", "Location"),
    Column("email", "string", "Public e-mail on the forge"),
    Column("icon_url", "string", "Avatar"),
    Column("created_at", "datetime", "Created on the forge (UTC)"),
    Column("forge", "string", "Forge host"),
    Column("organization", "string", "Public organisation's name"),
    Column("ministry", "string", "Its ministry's name"),
    Column("floss_policy", "string", "Free-software policy URL"),
    Column("ospo_url", "string", "Open source programme office URL"),
    Column("repositories_count", "integer", "Repositories"),
    Column("followers", "integer", "Followers"),
)


def codegouvfr_organisation_rows() -> Iterator[tuple]:
    fields = ["html_url", "forge__host", "login", "name", "description", "website", "location",
              "public_email", "avatar_url", "forge_created_at_iso", "organisation__name",
              "organisation__is_top", "organisation__ministry__name", "floss_policy",
              "organisation__floss_policy", "ospo_url", "organisation__ospo_url",
              "repositories_count", "followers"]  # fmt: skip
    accounts = account_list(filters={}).annotate(**_iso("forge_created_at"))
    for row in _stream(accounts.order_by("pk"), fields):
        (html_url, host, login, name, description, website, location, email, avatar,
         created_at, organisation, is_top, ministry, floss_policy, organisation_floss_policy,
         ospo_url, organisation_ospo_url, repositories_count, followers) = row  # fmt: skip
        yield (
            html_url or (f"https://{host}/{login}" if login else f"https://{host}"),
            login, name, description, website, location, email, avatar, created_at, host,
            organisation or "", (organisation if is_top else ministry) or "",
            floss_policy or organisation_floss_policy or "",
            ospo_url or organisation_ospo_url or "", repositories_count, followers,
        )  # fmt: skip


DATASETS = (
    Dataset("repositories", N_("Repositories"), N_("Public-sector repositories found on the forges "
            "(gone ones included, with gone_at)."), REPOSITORY_COLUMNS, repository_rows,
            primary_key="id", text_dates=True, csv_copy=repository_csv_copy),
    Dataset("accounts", N_("Forge accounts"), N_("Organisations, users, groups and whole instances "
            "crawled."), ACCOUNT_COLUMNS, account_rows, primary_key="id", text_dates=True),
    Dataset("organisations", N_("Organisations"), N_("Public organisations with their counts."),
            ORGANISATION_COLUMNS, organisation_rows, primary_key="slug"),
    Dataset("software", N_("Software catalog"), N_("The recommended free-software catalog (SILL), "
            "with referent, user and instance counts."), SOFTWARE_COLUMNS, software_rows,
            primary_key="id"),
    Dataset("declarations", N_("Declarations"), N_("Referent and user counts by software and "
            "organisation (agents' identities are not published)."), DECLARATION_COLUMNS,
            declaration_rows),
    Dataset("codegouvfr-repositories", N_("Repositories (code.gouv.fr format)"), N_("Today's "
            "code.gouv.fr repositories export, same fields and types."),
            CODEGOUVFR_REPOSITORY_COLUMNS, codegouvfr_repository_rows, formats=("csv", "json"),
            gzip=False, primary_key="id", text_dates=True),
    Dataset("codegouvfr-organizations", N_("Organisations (code.gouv.fr format)"), N_("Today's "
            "code.gouv.fr organisations export, same fields and types."),
            CODEGOUVFR_ORGANISATION_COLUMNS, codegouvfr_organisation_rows,
            formats=("csv", "json"), gzip=False, primary_key="id", text_dates=True),
    Dataset("dependencies", N_("Dependencies"), N_("What public repositories depend on: one row per "
            "repository and package, from their manifests and lock files."), DEPENDENCY_COLUMNS,
            dependency_rows),
    Dataset("codegouvfr-libraries", N_("Libraries (former code.gouv.fr format)"), N_("The packages "
            "public repositories publish, in the fields of code.gouv.fr's former libraries "
            "export."), LIBRARY_COLUMNS, library_rows, formats=("csv", "json"), gzip=False),
)  # fmt: skip
