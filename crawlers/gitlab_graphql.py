"""GitLab's GraphQL API for details: 100 projects per query, root tree, files' text, languages.

GitLab's GraphQL has no license field: the license still costs one REST request per project,
where REST details cost four or more (project, languages, tree, each file).
"""

from __future__ import annotations

from typing import Any

from crawlers.graphql import literal

COMPLEXITY = "queryComplexity { score limit }"


def global_id(project_id: Any) -> str:
    return f"gid://gitlab/Project/{project_id}"


def _list(values: list[str]) -> str:
    return "[" + ", ".join(literal(value) for value in values) + "]"


def details_query(ids: list[str], names: tuple[str, ...]) -> str:
    """The projects' root tree, the named files' text and languages (values inlined: the
    python-gitlab GraphQL client takes a query text)."""
    return (
        f"query {{ {COMPLEXITY} projects(ids: {_list(ids)}, first: {len(ids)}) {{ nodes {{ id "
        "repository { rootRef tree { blobs(first: 100) { nodes { name } } "
        "trees(first: 100) { nodes { name } } } "
        f"blobs(paths: {_list(list(names))}) {{ nodes {{ path rawTextBlob }} }} }} "
        "languages { name share } } } }"
    )


def files_query(ids: list[str], names: list[str]) -> str:
    """The text of more named files of these projects (a file a project lacks is not listed)."""
    return (
        f"query {{ {COMPLEXITY} projects(ids: {_list(ids)}, first: {len(ids)}) {{ nodes {{ id "
        f"repository {{ blobs(paths: {_list(names)}) {{ nodes {{ path rawTextBlob }} }} }} }} }} }}"
    )


def nodes(data: dict[str, Any]) -> list[dict[str, Any]]:
    projects = data.get("projects")
    found = projects.get("nodes") if isinstance(projects, dict) else None
    return [node for node in found or [] if isinstance(node, dict)]


def root_entries(node: dict[str, Any]) -> list[tuple[str, bool]] | None:
    """(name, is_folder) pairs of the root; None for an empty repository (no default branch)."""
    repository = node.get("repository")
    if not isinstance(repository, dict) or not repository.get("rootRef"):
        return None
    tree = repository.get("tree")
    if not isinstance(tree, dict):
        return None
    entries = []
    for kind, is_folder in (("trees", True), ("blobs", False)):
        connection = tree.get(kind) if isinstance(tree.get(kind), dict) else {}
        for entry in connection.get("nodes") or []:
            if isinstance(entry, dict) and isinstance(entry.get("name"), str):
                entries.append((entry["name"], is_folder))
    return entries


def blob_texts(node: dict[str, Any]) -> dict[str, str | None]:
    repository = node.get("repository")
    blobs = repository.get("blobs") if isinstance(repository, dict) else None
    texts: dict[str, str | None] = {}
    for blob in (blobs.get("nodes") if isinstance(blobs, dict) else None) or []:
        if isinstance(blob, dict) and isinstance(blob.get("path"), str):
            text = blob.get("rawTextBlob")
            texts[blob["path"]] = text if isinstance(text, str) else None
    return texts


def languages(node: dict[str, Any]) -> dict[str, float]:
    return {
        language["name"]: float(language["share"])
        for language in node.get("languages") or []
        if isinstance(language, dict)
        and isinstance(language.get("name"), str)
        and isinstance(language.get("share"), int | float)
    }


def complexity(data: dict[str, Any]) -> int:
    score = data.get("queryComplexity")
    value = score.get("score") if isinstance(score, dict) else None
    return value if isinstance(value, int) and value >= 0 else 0
