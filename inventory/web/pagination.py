"""Pages over large result sets: the count stops past a bound, as large sites show "more than
1,000 results", so a page costs the same whatever the number of matches."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.utils.functional import cached_property

# 50 pages of 20: past that, narrow the search or download the results.
COUNT_LIMIT = 1000


class BoundedPaginator(Paginator):
    """Counts at most ``limit`` + 1 rows (one query: COUNT over a LIMIT) and offers the pages
    of the first ``limit`` rows only; ``more`` tells that rows lie beyond."""

    def __init__(
        self, object_list, per_page, *, limit: int | None = None, counted: int | None = None
    ) -> None:
        """``counted``: the rows already counted (exactly, or past the limit), if known."""
        super().__init__(object_list, per_page)
        self.limit = COUNT_LIMIT if limit is None else limit
        if counted is not None:
            self.counted = counted

    @cached_property
    def counted(self) -> int:
        # Unordered: counting needs no sort, and the database picks its cheapest way.
        return self.object_list.order_by()[: self.limit + 1].count()

    @cached_property
    def count(self) -> int:
        return min(self.counted, self.limit)

    @property
    def more(self) -> bool:
        return self.counted > self.limit
