"""Messages to curators about the catalog's state."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail

from inventory.catalog.models import Software


def curators_notify_last_referent_withdrew(*, software: Software) -> int:
    """E-mail every active curator that a recommended software has no referent left.

    Returns how many curators were written to. The software also carries ``needs_referent``,
    which the admin lists, so the fact is visible even when no mail could be sent."""
    recipients = list(
        get_user_model()
        .objects.filter(is_staff=True, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    if not recipients:
        return 0
    subject = f"[SILL] {software.name} n'a plus de référent"
    body = (
        f"Le dernier référent de « {software.name} », logiciel recommandé, s'est retiré.\n"
        "Un logiciel ne peut rester recommandé sans référent : trouvez-en un ou "
        "mettez fin à la recommandation.\n\n"
        f"{settings.SITE_URL}/admin/catalog/software/{software.pk}/change/\n"
    )
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
    return len(recipients)
