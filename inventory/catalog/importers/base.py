"""The import report and the two kinds of import errors (whole file, one record)."""

from __future__ import annotations

from dataclasses import dataclass, field

FORMAT_CONTRIBUTORS = "sill-contributors"


class SillFileError(Exception):
    """The file as a whole cannot be imported; nothing was changed."""


class RecordError(Exception):
    """One record cannot be imported; the others still are."""


@dataclass
class Reject:
    location: str
    reason: str


@dataclass
class ImportReport:
    path: str
    format: str = ""
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejects: list[Reject] = field(default_factory=list)
    warnings: list[Reject] = field(default_factory=list)
    dry_run: bool = False

    def reject(self, location: str, reason: str) -> None:
        self.rejects.append(Reject(location, reason))

    def warn(self, location: str, reason: str) -> None:
        self.warnings.append(Reject(location, reason))

    def count(self, outcome: str) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)

    def summary(self) -> str:
        prefix = "[dry run] " if self.dry_run else ""
        return (
            f"{prefix}{self.path} ({self.format}): {self.created} created, {self.updated} updated, "
            f"{self.unchanged} unchanged, {len(self.rejects)} rejected, "
            f"{len(self.warnings)} warnings"
        )
