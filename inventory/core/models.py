"""When the public content last changed: pages' validators and cache keys derive from it."""

from django.db import models


class ContentChange(models.Model):
    """One row: the moment of the last crawl or catalog write that changed what pages show."""

    changed_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Content changed at {self.changed_at:%Y-%m-%d %H:%M:%S}"
