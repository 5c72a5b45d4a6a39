"""The /data/ page listing the downloads, and the files themselves."""

from __future__ import annotations

import re
from datetime import datetime

from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from inventory.opendata.formats.writers import CONTENT_TYPES
from inventory.opendata.services import MANIFEST, current_dir, manifest_read

FILE_NAME = re.compile(r"[a-z0-9][a-z0-9.-]{0,100}")


@require_safe
def data_index(request):
    """Every download with its size, rows, date and checksum, grouped by dataset."""
    manifest = manifest_read()
    groups: dict[str, dict] = {}
    if manifest:
        for dataset in manifest["datasets"]:
            # Titles and descriptions are kept in English in the manifest, translated here.
            groups[dataset["name"]] = {
                **dataset,
                "title": _(dataset["title"]),
                "description": _(dataset["description"]) if dataset["description"] else "",
                "files": [],
                "schema": None,
            }
        for file in manifest["files"]:
            group = groups.setdefault(
                file["dataset"],
                {"name": file["dataset"], "title": file["name"], "description": "", "files": [],
                 "schema": None},
            )  # fmt: skip
            if file["name"].endswith(".schema.json"):
                group["schema"] = file
            else:
                group["files"].append(file)
    return render(
        request,
        "opendata/index.html",
        {
            "title": _("Open data"),
            "manifest": manifest,
            "generated_at": _datetime(manifest["generated_at"]) if manifest else None,
            "groups": list(groups.values()),
        },
    )


@require_safe
def data_file(request, name: str):
    """One published file, streamed from the current release."""
    folder = current_dir()
    if folder is None or not FILE_NAME.fullmatch(name):
        raise Http404("No such file.")
    path = folder / name
    if not path.is_file() or (name != MANIFEST and not _listed(name)):
        raise Http404("No such file.")
    suffix = name.rsplit(".", 1)[-1]
    content_type = CONTENT_TYPES.get(suffix, "application/json")
    response = FileResponse(path.open("rb"), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "public, max-age=300"
    return response


def _datetime(value: str) -> datetime | None:
    try:
        return datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return None


def _listed(name: str) -> bool:
    manifest = manifest_read() or {"files": []}
    return any(file["name"] == name for file in manifest["files"])
