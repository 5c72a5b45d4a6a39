"""Public agents (the site's users) and the e-mail domains allowed to sign in."""

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from inventory.agents.addresses import domain_normalise


class AgentManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("An agent needs an e-mail address.")
        agent = self.model(email=self.normalize_email(email).lower(), **extra)
        if password:
            agent.set_password(password)
        else:
            agent.set_unusable_password()
        agent.save(using=self._db)
        return agent

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)


class Agent(AbstractUser):
    """A public agent, identified by their professional e-mail. Curators are staff agents."""

    username = None
    email = models.EmailField(_("e-mail address"), unique=True)
    # The organisation the agent works for and declares for by default. It grants nothing by
    # itself: rights over an organisation's instances come from an approved Membership.
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="agents",
    )
    about = models.TextField(_("about"), blank=True)
    # Referents stay private unless they choose otherwise (they must not become everyone's hotline).
    contact_public = models.BooleanField(_("show my name and e-mail publicly"), default=False)
    # The establishment number ProConnect vouches for; agents sharing it share an organisation.
    siret = models.CharField(_("SIRET"), max_length=14, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []
    objects = AgentManager()

    class Meta:
        verbose_name = _("agent")
        verbose_name_plural = _("agents")

    def __str__(self) -> str:
        return self.get_full_name() or self.email


class EmailDomain(models.Model):
    """A domain whose addresses may sign in; it also admits its subdomains."""

    domain = models.CharField(_("domain"), max_length=253, unique=True)
    source = models.CharField(_("source list"), max_length=100, blank=True)
    active = models.BooleanField(_("active"), default=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    # Addresses of this domain (or of its subdomains) belong to this organisation: signing in
    # with one makes the agent an approved member.
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisation of its addresses"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="email_domains",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["domain"]
        verbose_name = _("allowed e-mail domain")
        verbose_name_plural = _("allowed e-mail domains")

    def __str__(self) -> str:
        return self.domain

    def clean(self) -> None:
        normalised = domain_normalise(self.domain)
        if normalised is None:
            raise ValidationError(
                {"domain": _("Enter a domain name such as dinum.gouv.fr, without @ or final dot.")}
            )
        self.domain = normalised


class MembershipStatus(models.TextChoices):
    PENDING = "pending", _("pending")
    APPROVED = "approved", _("approved")
    REFUSED = "refused", _("refused")


class MembershipSource(models.TextChoices):
    """How a membership was established: derived from an identity, or approved by a person."""

    DOMAIN = "domain", _("e-mail domain")
    SIRET = "siret", _("ProConnect SIRET")
    CURATOR = "curator", _("a curator")
    MEMBER = "member", _("a member of the organisation")


class Membership(models.Model):
    """An agent belongs to an organisation once this is approved; it is never self-declared."""

    agent = models.ForeignKey(
        Agent, verbose_name=_("agent"), on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=MembershipStatus.choices,
        default=MembershipStatus.PENDING,
        db_index=True,
    )
    source = models.CharField(
        _("established by"), max_length=20, choices=MembershipSource.choices, blank=True
    )
    decided_by = models.ForeignKey(
        Agent,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="membership_decisions",
    )
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["agent", "organisation"], name="membership_unique_agent_organisation"
            ),
            models.CheckConstraint(
                condition=models.Q(status="pending") | ~models.Q(source=""),
                name="membership_decided_has_source",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agent} — {self.organisation} ({self.get_status_display()})"
