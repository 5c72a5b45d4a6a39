"""Output shapes of the API (read-only): what a reuser sees of each resource, never an agent's
identity unless they made it public."""

from __future__ import annotations

import functools

from django.utils import timezone
from rest_framework import serializers


class OrganisationRefSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()


class OrganisationSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    acronym = serializers.CharField()
    pso_id = serializers.CharField(help_text="Identifier in the Annuaire de l'administration.")
    annuaire_url = serializers.CharField()
    is_top = serializers.BooleanField(help_text="A ministry or equivalent top organisation.")
    ministry = OrganisationRefSerializer(allow_null=True)
    parent = OrganisationRefSerializer(allow_null=True)
    website = serializers.CharField()
    floss_policy = serializers.CharField()
    ospo_url = serializers.CharField()
    accounts_count = serializers.IntegerField()
    repositories_count = serializers.IntegerField()
    updated_at = serializers.DateTimeField()


class ForgeRefSerializer(serializers.Serializer):
    host = serializers.CharField()
    kind = serializers.CharField()


class AccountRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    forge = serializers.CharField(source="forge.host")
    login = serializers.CharField()


class AccountSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    forge = ForgeRefSerializer()
    login = serializers.CharField(help_text="Empty for a whole self-hosted instance.")
    kind = serializers.CharField()
    state = serializers.CharField()
    organisation = OrganisationRefSerializer(allow_null=True)
    name = serializers.CharField()
    description = serializers.CharField()
    html_url = serializers.CharField()
    website = serializers.CharField()
    location = serializers.CharField()
    public_email = serializers.CharField(help_text="The e-mail the forge shows publicly.")
    avatar_url = serializers.CharField()
    forge_created_at = serializers.DateTimeField(allow_null=True)
    followers = serializers.IntegerField(allow_null=True)
    floss_policy = serializers.CharField()
    ospo_url = serializers.CharField()
    repositories_count = serializers.IntegerField()
    last_crawled_at = serializers.DateTimeField(allow_null=True)
    last_crawl_status = serializers.CharField()
    updated_at = serializers.DateTimeField()


class RepositorySerializer(serializers.Serializer):
    """A repository (fields documented here; values from a row, see to_representation)."""

    id = serializers.IntegerField()
    forge = serializers.CharField(source="forge.host")
    remote_id = serializers.CharField(help_text="The repository's id on its forge.")
    account = AccountRefSerializer()
    organisation = OrganisationRefSerializer(
        allow_null=True, help_text="The account's organisation, else the forge's."
    )
    owner = serializers.CharField()
    name = serializers.CharField()
    full_name = serializers.CharField()
    html_url = serializers.CharField()
    clone_url = serializers.CharField()
    description = serializers.CharField()
    default_branch = serializers.CharField()
    language = serializers.CharField()
    languages = serializers.DictField(child=serializers.FloatField(), allow_null=True)
    license = serializers.CharField(source="license_spdx", help_text="SPDX identifier.")
    license_name = serializers.CharField()
    topics = serializers.ListField(child=serializers.CharField())
    stars = serializers.IntegerField()
    forks = serializers.IntegerField()
    open_issues = serializers.IntegerField(allow_null=True)
    subscribers = serializers.IntegerField(allow_null=True)
    fork = serializers.BooleanField(source="is_fork")
    archived = serializers.BooleanField(source="is_archived")
    template = serializers.BooleanField(source="is_template")
    homepage = serializers.CharField()
    has_readme = serializers.BooleanField()
    has_license_file = serializers.BooleanField()
    has_contributing = serializers.BooleanField()
    has_changelog = serializers.BooleanField()
    has_publiccode = serializers.BooleanField()
    awesome_score = serializers.IntegerField(
        help_text="code.gouv.fr's awesome-score (see the README's rule)."
    )
    created_at = serializers.DateTimeField(allow_null=True)
    updated_at = serializers.DateTimeField(allow_null=True)
    pushed_at = serializers.DateTimeField(allow_null=True)
    first_seen_at = serializers.DateTimeField()
    last_seen_at = serializers.DateTimeField()
    gone_at = serializers.DateTimeField(allow_null=True)

    @functools.cached_property
    def _moment(self):
        # The time zone once per serializer (a page's rows share the list's child serializer).
        return _moment_formatter()

    def to_representation(self, row: dict) -> dict:
        """From a row of forges.selectors.repository_rows_complete, built directly: this is the
        API's hot path, and DRF's field-by-field machinery costs more than the query."""
        moment = self._moment
        organisation = (
            {"slug": row["organisation_slug"], "name": row["organisation_name"]}
            if row["organisation_slug"] is not None
            else None
        )
        return {
            "id": row["id"],
            "forge": row["forge__host"],
            "remote_id": row["remote_id"],
            "account": {
                "id": row["account_id"],
                "forge": row["account__forge__host"],
                "login": row["account__login"],
            },
            "organisation": organisation,
            "owner": row["owner"],
            "name": row["name"],
            "full_name": row["full_name"],
            "html_url": row["html_url"],
            "clone_url": row["clone_url"],
            "description": row["description"],
            "default_branch": row["default_branch"],
            "language": row["language"],
            "languages": row["languages"],
            "license": row["license_spdx"],
            "license_name": row["license_name"],
            "topics": row["topics"] or [],
            "stars": row["stars"],
            "forks": row["forks"],
            "open_issues": row["open_issues"],
            "subscribers": row["subscribers"],
            "fork": row["is_fork"],
            "archived": row["is_archived"],
            "template": row["is_template"],
            "homepage": row["homepage"],
            "has_readme": row["has_readme"],
            "has_license_file": row["has_license_file"],
            "has_contributing": row["has_contributing"],
            "has_changelog": row["has_changelog"],
            "has_publiccode": row["has_publiccode"],
            "awesome_score": row["reuse_score"],
            "created_at": moment(row["created_at"]),
            "updated_at": moment(row["updated_at"]),
            "pushed_at": moment(row["pushed_at"]),
            "first_seen_at": moment(row["first_seen_at"]),
            "last_seen_at": moment(row["last_seen_at"]),
            "gone_at": moment(row["gone_at"]),
        }


def _moment_formatter():
    """Date-times as DRF's DateTimeField writes them: ISO 8601 in the current time zone."""
    zone = timezone.get_current_timezone()

    def moment(value):
        if value is None:
            return None
        text = value.astimezone(zone).isoformat()
        return text[:-6] + "Z" if text.endswith("+00:00") else text

    return moment


class AccountCrawlSerializer(serializers.Serializer):
    account = AccountRefSerializer()
    status = serializers.CharField()
    started_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)
    duration_seconds = serializers.FloatField()
    requests = serializers.IntegerField()
    not_modified = serializers.IntegerField()
    retries = serializers.IntegerField()
    rate_limit_wait_seconds = serializers.FloatField()
    repositories_seen = serializers.IntegerField()
    repositories_new = serializers.IntegerField()
    repositories_updated = serializers.IntegerField()
    repositories_gone = serializers.IntegerField()
    repositories_revived = serializers.IntegerField()
    error_kind = serializers.CharField()
    error = serializers.CharField()


class CrawlRunSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    started_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)
    status = serializers.CharField()
    trigger = serializers.CharField()
    selection = serializers.CharField()
    accounts_total = serializers.IntegerField()
    results = AccountCrawlSerializer(many=True, help_text="One result per crawled account.")


class InstanceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    software = serializers.CharField(source="software.slug")
    organisation = OrganisationRefSerializer()
    target_audience = serializers.CharField()
    public_url = serializers.CharField()


class PublicContactSerializer(serializers.Serializer):
    """A referent or user who chose to show their name and e-mail publicly."""

    organisation = OrganisationRefSerializer()
    name = serializers.CharField()
    email = serializers.CharField()
    is_technical_expert = serializers.BooleanField()


class OrganisationCountsSerializer(serializers.Serializer):
    organisation = OrganisationRefSerializer()
    referent_count = serializers.IntegerField()
    user_count = serializers.IntegerField()


class SoftwareSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.CharField()
    name = serializers.CharField()
    function = serializers.CharField()
    description = serializers.CharField()
    license = serializers.CharField()
    status = serializers.CharField()
    homepage_url = serializers.CharField()
    documentation_url = serializers.CharField()
    source_url = serializers.CharField()
    logo_url = serializers.CharField()
    keywords = serializers.ListField(child=serializers.CharField())
    categories = serializers.SerializerMethodField()
    is_desktop = serializers.BooleanField()
    is_cloud = serializers.BooleanField()
    is_stack = serializers.BooleanField()
    version_min = serializers.CharField()
    latest_version = serializers.CharField()
    is_from_french_public_service = serializers.BooleanField(allow_null=True)
    is_in_support_contract = serializers.BooleanField(allow_null=True)
    respects_rgaa = serializers.BooleanField(allow_null=True)
    referenced_since = serializers.DateTimeField(allow_null=True)
    dereferenced_at = serializers.DateTimeField(allow_null=True)
    dereferencing_reason = serializers.CharField()
    referent_count = serializers.IntegerField()
    user_count = serializers.IntegerField()
    instances = InstanceSerializer(many=True)
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    def get_categories(self, software) -> list[str]:
        return [category.name for category in software.categories.all()]


class EnrichmentFactSerializer(serializers.Serializer):
    value = serializers.JSONField(help_text="A text, a list, or {number, published} for versions.")
    source = serializers.CharField(
        help_text="curator (the catalog's own value), wikidata, comptoir, cnll, hal or forge."
    )
    url = serializers.CharField(help_text="The page at the source, when there is one.")
    license_problem = serializers.CharField(
        help_text="For licenses: why the source's license is not applied (not free, or not "
        "the catalog's)."
    )


class EnrichmentProviderSerializer(serializers.Serializer):
    name = serializers.CharField()
    siren = serializers.CharField()
    website = serializers.CharField()
    sources = serializers.ListField(child=serializers.DictField(child=serializers.CharField()))


class EnrichmentSimilarSerializer(serializers.Serializer):
    label = serializers.CharField()
    source = serializers.CharField()
    id = serializers.CharField(help_text="The id at the source, to propose it pre-filled.")


class EnrichmentSerializer(serializers.Serializer):
    """What the sources add, merged with the catalog (the curator's value wins)."""

    facts = serializers.DictField(child=EnrichmentFactSerializer())
    providers = EnrichmentProviderSerializer(
        many=True, help_text="Comptoir du Libre and CNLL providers, one per SIREN."
    )
    similar = EnrichmentSimilarSerializer(
        many=True, help_text="Similar software the sources name that the catalog lacks."
    )


class SoftwareDetailSerializer(SoftwareSerializer):
    long_description = serializers.CharField()
    enrichment = EnrichmentSerializer(read_only=True)
    organisations = OrganisationCountsSerializer(
        many=True, help_text="Referent and user counts by organisation (no identities)."
    )
    public_contacts = PublicContactSerializer(
        many=True,
        help_text="Referents and users who chose to make their name and e-mail public.",
    )


class DeclarationSerializer(serializers.Serializer):
    """One of the signed-in agent's own declarations."""

    id = serializers.IntegerField()
    role = serializers.ChoiceField(choices=["referent", "user"])
    software = serializers.CharField(source="software.slug")
    organisation = OrganisationRefSerializer()
    use_case = serializers.CharField()
    version = serializers.CharField()
    service_url = serializers.CharField()
    is_technical_expert = serializers.BooleanField(required=False)
    os = serializers.CharField(required=False)
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class CommentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    software = serializers.CharField(source="software.slug")
    author = serializers.SerializerMethodField(
        help_text="The author's name when they made it public, else empty."
    )
    body = serializers.CharField(help_text="Markdown as written.")
    body_html = serializers.CharField(help_text="Sanitised HTML rendering.")
    edited = serializers.BooleanField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    def get_author(self, comment) -> str:
        author = comment.author
        if author is None or not author.contact_public:
            return ""
        return author.get_full_name() or author.email


class ErrorSerializer(serializers.Serializer):
    """An API error: a ``detail`` for people, or one message (or list of messages) per invalid
    parameter, keyed by the parameter's name."""

    detail = serializers.CharField(required=False)
