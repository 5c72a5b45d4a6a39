"""Versions as sortable keys, and the version ranges people type to find dependents.

A key keeps the first four numbers of a version, zero-padded (``1.2.3`` →
``00000001.00000002.00000003.00000000``), so the database compares versions as text and an
index serves a range. Pre-release and build labels are ignored: good enough to find every
repository on 1.x below 1.4.2, which is what a security team asks.
"""

from __future__ import annotations

import re

from django.db.models import Q
from django.utils.translation import gettext as _

from inventory.core.exceptions import ApplicationError

PARTS = 4
_WIDTH = 8
_VERSION = re.compile(r"(\d{1,8})(?:\.(\d{1,8}))?(?:\.(\d{1,8}))?(?:\.(\d{1,8}))?")
_LOWER_BOUND = re.compile(r"^\s*(?:>=|>|==|===|=|\^|~>|~=|~|v)?\s*v?(\d[\w.\-+]*)")
_CLAUSE = re.compile(
    r"\s*(?P<op>>=|<=|==|!=|~>|~=|>|<|=|\^|~)?\s*v?(?P<version>\d{1,8}(?:\.\d{1,8}){0,3})(?P<star>\.\*)?\s*,?"
)


def _key(numbers: list[int]) -> str:
    padded = (numbers + [0] * PARTS)[:PARTS]
    return ".".join(f"{number:0{_WIDTH}d}" for number in padded)


def version_key(version: str) -> str:
    """The sortable key of a version ("" when it holds no number)."""
    match = _VERSION.search(version or "")
    if match is None:
        return ""
    return _key([int(group) for group in match.groups() if group is not None])


def effective_version(requirement: str, resolved_version: str) -> str:
    """The version a range filter compares: the resolved one, else the constraint's lower bound
    (``^18.2.0`` → 18.2.0, ``<6,>=5.2`` → 5.2, ``*`` or ``<2`` → none)."""
    if resolved_version:
        return resolved_version
    for clause in re.split(r",|\|\|", requirement or ""):
        match = _LOWER_BOUND.match(clause)
        if match:
            return match.group(1)
    return ""


def _bumped(numbers: list[int], position: int) -> str:
    return _key([*numbers[:position], numbers[position] + 1])


def version_range_q(text: str, *, field: str = "version_key") -> Q:
    """The filter for a range such as ``>=1.2,<2``, ``^1.4``, ``~> 7.1``, ``1.2`` (every 1.2.x)
    or ``==2.0.1``; an ApplicationError says what cannot be read."""
    text = (text or "").strip()
    position, condition = 0, Q()
    while position < len(text):
        match = _CLAUSE.match(text, position)
        if match is None or match.end() == position:
            raise ApplicationError(
                _(
                    "Cannot read the version range “%(range)s”: write for instance "
                    ">=1.2,<2 or ^1.4 or 1.2."
                )
                % {"range": text[:100]},
                {"field": "version"},
            )
        position = match.end()
        numbers = [int(n) for n in match["version"].split(".")]
        condition &= _clause_q(match["op"] or "", numbers, bool(match["star"]), field)
    if not condition:
        raise ApplicationError(_("The version range is empty."), {"field": "version"})
    return Q(**{f"{field}__gt": ""}) & condition


def _clause_q(op: str, numbers: list[int], star: bool, field: str) -> Q:
    key = _key(numbers)
    if op in ("", "=", "==") and (star or not op):
        # "1.2" and "==1.2.*": every version starting with these numbers.
        prefix = ".".join(f"{number:0{_WIDTH}d}" for number in numbers)
        return Q(**{f"{field}__startswith": prefix + ("." if len(numbers) < PARTS else "")})
    if op in ("=", "=="):
        return Q(**{field: key})
    if op == "!=":
        return ~Q(**{field: key})
    if op in (">", ">=", "<", "<="):
        lookup = {">": "gt", ">=": "gte", "<": "lt", "<=": "lte"}[op]
        return Q(**{f"{field}__{lookup}": key})
    if op == "^":  # npm and Cargo: the left-most non-zero number is fixed
        position = next((i for i, n in enumerate(numbers) if n), len(numbers) - 1)
        return Q(**{f"{field}__gte": key, f"{field}__lt": _bumped(numbers, position)})
    if op == "~" and len(numbers) > 1:  # npm: patch updates only
        return Q(**{f"{field}__gte": key, f"{field}__lt": _bumped(numbers, 1)})
    # ~ with a major alone, ~> (RubyGems) and ~= (PEP 440): the last given number may move.
    position = max(0, len(numbers) - 2)
    return Q(**{f"{field}__gte": key, f"{field}__lt": _bumped(numbers, position)})
