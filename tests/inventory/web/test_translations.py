"""The French catalogue is complete and its compiled .mo matches the .po (msgids are English)."""

import ast
import gettext
import re
from pathlib import Path

from django.conf import settings

PO = Path(settings.BASE_DIR) / "locale" / "fr" / "LC_MESSAGES" / "django.po"


def po_entries() -> list[dict]:
    """Entries of the .po: {"flags", "msgid", "msgid_plural", "msgstr"/"msgstr[n]"}."""
    entries, current, key = [], None, None
    for line in PO.read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip():
            if current and "msgid" in current:
                entries.append(current)
            current = None
            continue
        current = current or {"flags": ""}
        if line.startswith("#,"):
            current["flags"] += line
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            current[key] += ast.literal_eval(line)
        else:
            key, _, value = line.partition(" ")
            current[key] = ast.literal_eval(value)
    return entries


def test_every_message_has_a_french_translation():
    untranslated = [
        entry["msgid"]
        for entry in po_entries()
        if entry["msgid"]
        and (
            "fuzzy" in entry["flags"]
            or not (entry.get("msgstr") or (entry.get("msgstr[0]") and entry.get("msgstr[1]")))
        )
    ]
    assert untranslated == []


def test_compiled_catalogue_matches_the_po_file():
    with PO.with_suffix(".mo").open("rb") as compiled:
        catalogue = gettext.GNUTranslations(compiled)
    stale = []
    for entry in po_entries():
        if not entry["msgid"]:
            continue
        if "msgid_plural" in entry:
            got = catalogue.ngettext(entry["msgid"], entry["msgid_plural"], 2)
            expected = entry["msgstr[1]"]
        else:
            got, expected = catalogue.gettext(entry["msgid"]), entry["msgstr"]
        if got != expected:
            stale.append(entry["msgid"])
    assert stale == []


def test_python_format_placeholders_are_kept_in_translations():
    placeholder = re.compile(r"%\(\w+\)[sd]")
    broken = [
        entry["msgid"]
        for entry in po_entries()
        if "python-format" in entry["flags"]
        and set(placeholder.findall(entry["msgid"]))
        != set(placeholder.findall(entry.get("msgstr") or entry.get("msgstr[1]", "")))
    ]
    assert broken == []
