"""Forges, the accounts we crawl on them, their repositories, and the record of every crawl."""

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class ForgeKind(models.TextChoices):
    GITHUB = "github", "GitHub"
    GITLAB = "gitlab", "GitLab"
    GITEA = "gitea", "Gitea / Forgejo"
    GOGS = "gogs", "Gogs"
    SOURCEHUT = "sourcehut", "SourceHut"


class Forge(models.Model):
    """A forge host: github.com, gitlab.com or a self-hosted instance."""

    host = models.CharField(_("host"), max_length=255, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=ForgeKind.choices)
    api_url = models.URLField(_("API base URL"), max_length=500)
    # A forge dedicated to the public sector is crawled whole; a mixed one only for its listed owners.
    whole_instance = models.BooleanField(_("crawl the whole instance"), default=False)
    organisation = models.ForeignKey(
        "organisations.Organisation", verbose_name=_("organisation"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="forges",
    )
    ignored_since = models.DateField(_("ignored since"), null=True, blank=True)
    floss_policy = models.URLField(_("free-software policy"), blank=True, max_length=500)
    ospo_url = models.URLField(_("open source programme office"), blank=True, max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["host"]
        verbose_name = _("forge")
        verbose_name_plural = _("forges")

    def __str__(self) -> str:
        return self.host


def account_display_name(*, host: str, login: str) -> str:
    """An account's name as pages show it: host/login, or the host for a whole instance."""
    if login:
        return f"{host}/{login}"
    return gettext("%(host)s (whole instance)") % {"host": host}


class AccountKind(models.TextChoices):
    ORG = "org", _("organisation")
    USER = "user", _("user")
    GROUP = "group", _("group")
    INSTANCE = "instance", _("whole instance")


class AccountState(models.TextChoices):
    PROPOSED = "proposed", _("proposed")
    ACTIVE = "active", _("active")
    INACTIVE = "inactive", _("inactive")
    REJECTED = "rejected", _("rejected")


class CrawlStatus(models.TextChoices):
    RUNNING = "running", _("running")
    SUCCESS = "success", _("success")
    FAILED = "failed", _("failed")
    PARTIAL = "partial", _("partial")


class Account(models.Model):
    """What we crawl: an organisation, user or group on a forge, or a whole instance (empty login)."""

    forge = models.ForeignKey(Forge, verbose_name=_("forge"), on_delete=models.PROTECT, related_name="accounts")
    login = models.CharField(_("login or group path"), max_length=255, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=AccountKind.choices)
    organisation = models.ForeignKey(
        "organisations.Organisation", verbose_name=_("organisation"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="accounts",
    )
    state = models.CharField(_("state"), max_length=10, choices=AccountState.choices, default=AccountState.ACTIVE)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("proposed by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="proposed_accounts",
    )
    proposal_note = models.TextField(_("proposal note"), blank=True)
    ignored_since = models.DateField(_("ignored since"), null=True, blank=True)
    floss_policy = models.URLField(_("free-software policy"), blank=True, max_length=500)
    ospo_url = models.URLField(_("open source programme office"), blank=True, max_length=500)
    # Public profile as the forge shows it (refreshed by each crawl).
    name = models.CharField(_("display name"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    html_url = models.URLField(_("web page"), blank=True, max_length=500)
    website = models.URLField(_("website"), blank=True, max_length=500)
    location = models.CharField(_("location"), max_length=300, blank=True)
    public_email = models.CharField(_("public e-mail"), max_length=254, blank=True)
    avatar_url = models.URLField(_("avatar"), blank=True, max_length=500)
    forge_created_at = models.DateTimeField(_("created on the forge"), null=True, blank=True)
    followers = models.PositiveIntegerField(_("followers"), null=True, blank=True)
    # Repositories still on the forge, counted after each crawl (listings never count them).
    repositories_count = models.PositiveIntegerField(_("repositories"), default=0)
    # Outcome of the last crawl, denormalised for listings.
    last_crawled_at = models.DateTimeField(_("last crawled"), null=True, blank=True)
    last_crawl_status = models.CharField(_("last crawl status"), max_length=10, choices=CrawlStatus.choices, blank=True)
    last_crawl_error = models.TextField(_("last crawl error"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["forge__host", "login"]
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        constraints = [
            models.UniqueConstraint(fields=["forge", "login"], name="account_unique_forge_login"),
            models.CheckConstraint(
                condition=models.Q(kind="instance", login="") | (~models.Q(kind="instance") & ~models.Q(login="")),
                name="account_login_iff_not_instance",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.forge.host}/{self.login}" if self.login else f"{self.forge.host} (whole instance)"

    @property
    def display_name(self) -> str:
        """The name pages show: ``__str__`` in the reader's language (logs and commands keep
        the English one)."""
        return account_display_name(host=self.forge.host, login=self.login)


class Repository(models.Model):
    """A public repository; keyed by (forge, remote_id), the id on the forge, so renames and transfers are followed."""

    forge = models.ForeignKey(Forge, on_delete=models.PROTECT, related_name="repositories")
    remote_id = models.CharField(_("id on the forge"), max_length=64)
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="repositories")
    owner = models.CharField(_("owner"), max_length=255)
    name = models.CharField(_("name"), max_length=255)
    full_name = models.CharField(_("full name"), max_length=512)
    html_url = models.URLField(_("URL"), max_length=700)
    clone_url = models.CharField(_("clone URL"), max_length=700, blank=True)
    description = models.TextField(_("description"), blank=True)
    default_branch = models.CharField(max_length=255, blank=True)
    language = models.CharField(_("language"), max_length=100, blank=True)
    languages = models.JSONField(null=True, blank=True)
    license_spdx = models.CharField(_("license (SPDX)"), max_length=100, blank=True)
    license_name = models.CharField(_("license as the forge names it"), max_length=255, blank=True)
    topics = models.JSONField(_("topics"), default=list, blank=True)
    stars = models.PositiveIntegerField(_("stars"), default=0)
    forks = models.PositiveIntegerField(_("forks"), default=0)
    open_issues = models.PositiveIntegerField(_("open issues"), null=True, blank=True)
    subscribers = models.PositiveIntegerField(_("subscribers"), null=True, blank=True)
    is_fork = models.BooleanField(_("fork"), default=False)
    is_archived = models.BooleanField(_("archived"), default=False)
    is_template = models.BooleanField(_("template"), default=False)
    homepage = models.CharField(_("homepage"), max_length=700, blank=True)
    created_at = models.DateTimeField(_("created"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), null=True, blank=True)
    pushed_at = models.DateTimeField(_("last push"), null=True, blank=True)
    change_key = models.CharField(max_length=200, blank=True)
    # Root files, from one listing of the default branch's root (new or changed repositories only).
    has_readme = models.BooleanField(default=False)
    has_license_file = models.BooleanField(default=False)
    has_contributing = models.BooleanField(default=False)
    has_changelog = models.BooleanField(default=False)
    has_publiccode = models.BooleanField(_("has publiccode.yml"), default=False)
    publiccode_text = models.TextField(blank=True)
    publiccode = models.JSONField(null=True, blank=True)
    publiccode_error = models.TextField(blank=True)
    details_fetched_at = models.DateTimeField(null=True, blank=True)
    first_seen_at = models.DateTimeField(_("first seen"))
    last_seen_at = models.DateTimeField(_("last seen"))
    gone_at = models.DateTimeField(_("gone since"), null=True, blank=True)
    # Derived by the crawl's upsert (inventory.forges.scoring), stored to be sorted and searched
    # through indexes: the awesome-score, and the folded text searched by words.
    reuse_score = models.IntegerField(_("reuse score"), default=0)
    search_document = models.TextField(blank=True, default="")
    # PostgreSQL: the document's words (to_tsvector('simple', search_document)), stored so that
    # a search tests each row without parsing its text again; always NULL on SQLite.
    search_vector = SearchVectorField(null=True, blank=True)

    class Meta:
        ordering = ["full_name"]
        verbose_name = _("repository")
        verbose_name_plural = _("repositories")
        constraints = [
            models.UniqueConstraint(fields=["forge", "remote_id"], name="repository_unique_forge_remote_id"),
        ]
        # Every sort offered is read in index order: the pages' (listed repositories only,
        # ties by name) and the API's cursor orderings (ties by id, either direction). On
        # PostgreSQL, 0007_repository_indexes also adds the last-activity sort (NULLS LAST,
        # which SQLite's indexes lack) and GIN indexes for the searches.
        indexes = [
            models.Index(fields=["account", "gone_at"]),
            models.Index(fields=["language"]),
            models.Index(fields=["license_spdx"]),
            models.Index(fields=["html_url"]),
            models.Index(fields=["full_name", "id"]),
            models.Index(
                F("reuse_score").desc(), F("stars").desc(), "full_name", "id",
                condition=Q(gone_at__isnull=True), name="repository_sort_reuse",
            ),
            models.Index(
                F("stars").desc(), "full_name", "id",
                condition=Q(gone_at__isnull=True), name="repository_sort_stars",
            ),
            models.Index(
                "account", F("reuse_score").desc(), F("stars").desc(), "full_name", "id",
                condition=Q(gone_at__isnull=True), name="repository_account_reuse",
            ),
            models.Index(fields=["stars", "id"], name="repository_api_stars"),
            models.Index(fields=["forks", "id"], name="repository_api_forks"),
            models.Index(fields=["first_seen_at", "id"], name="repository_api_first_seen"),
        ]

    def __str__(self) -> str:
        return self.full_name


class RepositoryCountDimension(models.TextChoices):
    LISTED = "listed", _("listed repositories")
    LANGUAGE = "language", _("language")
    LICENSE = "license", _("license")
    FORGE = "forge", _("forge")
    YEAR = "year", _("creation year")


class RepositoryCount(models.Model):
    """How many listed repositories (not gone) have a value: the search page's filter menus and
    the statistics read these instead of counting a million rows per request.

    Rebuilt by ``repository_counts_refresh`` after every crawl run.
    """

    dimension = models.CharField(max_length=10, choices=RepositoryCountDimension.choices)
    value = models.CharField(max_length=255, blank=True)  # "" for the total, or unknown
    count = models.PositiveIntegerField()
    refreshed_at = models.DateTimeField()

    class Meta:
        ordering = ["dimension", "-count", "value"]
        verbose_name = _("repository count")
        verbose_name_plural = _("repository counts")
        constraints = [
            models.UniqueConstraint(fields=["dimension", "value"], name="repository_count_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.dimension} {self.value!r}: {self.count}"


class HttpCacheEntry(models.Model):
    """A conditional-request validator and the body it validates, per URL (see crawlers.base.HttpCache)."""

    url = models.CharField(max_length=1000, unique=True)
    # The account whose crawl last used the URL: a crawl loads its account's entries in one query.
    account = models.ForeignKey(
        Account, null=True, blank=True, on_delete=models.CASCADE, related_name="http_cache_entries"
    )
    etag = models.CharField(max_length=300)
    body = models.BinaryField()  # zlib-compressed
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.url


class CrawlRun(models.Model):
    """One crawl: of every active account, or of a selection."""

    started_at = models.DateTimeField(_("started"))
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=CrawlStatus.choices, default=CrawlStatus.RUNNING)
    trigger = models.CharField(_("trigger"), max_length=50, default="manual")  # manual, schedule, command, demo
    selection = models.CharField(_("selection"), max_length=500, blank=True)
    # What the run covers, normalised: "" for every account, "forge:HOST", or "accounts:" and a
    # digest of the account ids. At most one running run per key (the overlap lock below).
    selection_key = models.CharField(max_length=100, blank=True)
    accounts_total = models.PositiveIntegerField(default=0)
    # When account tasks were last sent for it: the reaper sends them again when a run has
    # made no progress for CRAWL_STALL_SECONDS after that (their messages were lost).
    dispatched_at = models.DateTimeField(_("tasks sent"), null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("crawl run")
        verbose_name_plural = _("crawl runs")
        constraints = [
            models.UniqueConstraint(
                fields=["selection_key"],
                condition=models.Q(status="running"),
                name="crawl_run_one_running_per_selection",
            )
        ]

    def __str__(self) -> str:
        return f"Crawl #{self.pk} ({self.started_at:%Y-%m-%d %H:%M})"


class AccountCrawl(models.Model):
    """The result of crawling one account within a run."""

    run = models.ForeignKey(CrawlRun, on_delete=models.CASCADE, related_name="results")
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="crawls")
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=CrawlStatus.choices, default=CrawlStatus.RUNNING)
    requests = models.PositiveIntegerField(default=0)
    not_modified = models.PositiveIntegerField(default=0)
    retries = models.PositiveIntegerField(default=0)
    rate_limit_wait_seconds = models.FloatField(default=0)
    repositories_seen = models.PositiveIntegerField(default=0)
    repositories_new = models.PositiveIntegerField(default=0)
    repositories_updated = models.PositiveIntegerField(default=0)
    repositories_gone = models.PositiveIntegerField(default=0)
    repositories_revived = models.PositiveIntegerField(default=0)
    duration_seconds = models.FloatField(default=0)
    error_kind = models.CharField(max_length=30, blank=True)
    error = models.TextField(blank=True)
    # The lease: who crawls the account now and until when. Its holder renews it while alive;
    # an expired lease means the holder died, and the reaper hands the account to another.
    attempts = models.PositiveSmallIntegerField(default=0)
    lease_owner = models.CharField(max_length=255, blank=True)
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    worker = models.CharField(max_length=255, blank=True)  # host:pid of the lease holder

    class Meta:
        ordering = ["run", "account"]
        constraints = [models.UniqueConstraint(fields=["run", "account"], name="account_crawl_unique_per_run")]
        indexes = [models.Index(fields=["status", "lease_expires_at"])]

    def __str__(self) -> str:
        return f"{self.account} in crawl #{self.run_id}: {self.get_status_display()}"
