"""Public organisations (ministries, agencies, local authorities) that own accounts and declare software."""

from django.db import models
from django.utils.translation import gettext_lazy as _

UNKNOWN_PSO_ID = "00000000-0000-0000-0000-000000000000"


class OrganisationStatus(models.TextChoices):
    # Imported and curated organisations are validated; one an agent names is pending until a
    # curator validates it, and only validated ones appear in public lists and filters.
    VALIDATED = "validated", _("validated")
    PENDING = "pending", _("pending review")
    REFUSED = "refused", _("refused")


class OrganisationQuerySet(models.QuerySet):
    def public(self) -> "OrganisationQuerySet":
        return self.filter(status=OrganisationStatus.VALIDATED)


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=300)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    acronym = models.CharField(_("acronym"), max_length=60, blank=True)
    # Identifier in the Annuaire de l'administration (lannuaire.service-public.fr).
    pso_id = models.CharField(_("Annuaire id"), max_length=64, blank=True, default="")
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
    )
    ministry = models.ForeignKey(
        "self",
        verbose_name=_("ministry"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "The top organisation (ministry, Prime Minister, independent authority) it belongs to."
        ),
    )
    is_top = models.BooleanField(_("top organisation"), default=False)
    website = models.URLField(_("website"), blank=True, max_length=500)
    floss_policy = models.URLField(_("free-software policy"), blank=True, max_length=500)
    ospo_url = models.URLField(_("open source programme office"), blank=True, max_length=500)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=OrganisationStatus.choices,
        default=OrganisationStatus.VALIDATED,
        db_index=True,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.UniqueConstraint(
                fields=["pso_id"],
                condition=~models.Q(pso_id="") & ~models.Q(pso_id=UNKNOWN_PSO_ID),
                name="organisation_unique_pso_id",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def annuaire_url(self) -> str:
        if not self.pso_id or self.pso_id == UNKNOWN_PSO_ID:
            return ""
        return f"https://lannuaire.service-public.fr/{self.pso_id}"
