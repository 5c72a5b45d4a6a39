"""Which crawl run and account a log line is about: a context the crawl sets, a filter that reads it.

The crawl runs ``with log_context(run_id=…, account_id=…)``; every record logged meanwhile in
that thread (ours, the forge clients', the HTTP transport's) gets ``run_id`` and ``account_id``
attributes (None outside a crawl), which the JSON formatter writes as fields, and ``crawl``, the
same as a ``[run 12 account 34] `` prefix for the text format.
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
from collections.abc import Iterator

_context: contextvars.ContextVar[dict[str, int | None] | None] = contextvars.ContextVar(
    "logitheque_log_context", default=None
)


@contextlib.contextmanager
def log_context(**ids: int | None) -> Iterator[None]:
    """Add ``ids`` (``run_id``, ``account_id``) to every record logged inside the block."""
    token = _context.set({**(_context.get() or {}), **ids})
    try:
        yield
    finally:
        _context.reset(token)


def log_context_copy() -> contextvars.Context:
    """The current context, to run a helper thread's work in (threads start with an empty one)."""
    return contextvars.copy_context()


class CrawlContextFilter(logging.Filter):
    """Set ``run_id``, ``account_id`` and the text prefix ``crawl`` on every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        ids = _context.get() or {}
        record.run_id = ids.get("run_id")
        record.account_id = ids.get("account_id")
        parts = [
            f"{label} {value}"
            for label, value in (("run", record.run_id), ("account", record.account_id))
            if value is not None
        ]
        record.crawl = f"[{' '.join(parts)}] " if parts else ""
        return True
