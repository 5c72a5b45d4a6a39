"""GitHub's GraphQL API for details: 100 repositories per query, root entries and files' text.

The REST listing (ETag, 304) still tells what changed; the new or changed repositories' root
entries, languages and named files (publiccode.yml, manifests) come from ``nodes(ids:)``,
costing one rate-limit point per query where REST costs one request per file.
"""

from __future__ import annotations

from typing import Any

from crawlers.graphql import literal

BLOB = "... on Blob { byteSize isBinary isTruncated text }"
RATE_LIMIT = "rateLimit { cost remaining resetAt }"


def details_query(names: tuple[str, ...]) -> tuple[str, dict[str, str]]:
    """The query over ``$ids`` (repository node ids), and the file name of each blob alias."""
    aliases = {f"f{index}": name for index, name in enumerate(names)}
    files = " ".join(
        f"{alias}: object(expression: {literal('HEAD:' + name)}) {{ {BLOB} }}"
        for alias, name in aliases.items()
    )
    query = (
        "query($ids: [ID!]!) { "
        f"{RATE_LIMIT} "
        "nodes(ids: $ids) { ... on Repository { id databaseId "
        'root: object(expression: "HEAD:") { ... on Tree { entries { name type } } } '
        "languages(first: 20, orderBy: {field: SIZE, direction: DESC}) "
        "{ totalSize edges { size node { name } } } "
        f"{files} }} }} }}"
    )
    return query, aliases


def files_query(wanted: dict[str, list[str]]) -> tuple[str, dict[str, tuple[str, dict[str, str]]]]:
    """A query for named files of several repositories (node id → names), and what each
    repository alias stands for: (node id, file name of each of its blob aliases)."""
    aliases: dict[str, tuple[str, dict[str, str]]] = {}
    parts = []
    for i, (node_id, names) in enumerate(wanted.items()):
        files = {f"f{j}": name for j, name in enumerate(names)}
        aliases[f"r{i}"] = (node_id, files)
        blobs = " ".join(
            f"{alias}: object(expression: {literal('HEAD:' + name)}) {{ {BLOB} }}"
            for alias, name in files.items()
        )
        parts.append(f"r{i}: node(id: {literal(node_id)}) {{ ... on Repository {{ {blobs} }} }}")
    return f"query {{ {RATE_LIMIT} {' '.join(parts)} }}", aliases


def blob_text(blob: Any) -> str | None:
    """A blob's text, None when GitHub gives none (no such file, binary, truncated)."""
    if not isinstance(blob, dict) or blob.get("isBinary") or blob.get("isTruncated"):
        return None
    text = blob.get("text")
    return text if isinstance(text, str) else None


def root_entries(node: dict[str, Any]) -> list[tuple[str, bool]] | None:
    """(name, is_folder) pairs of the default branch's root; None for an empty repository."""
    root = node.get("root")
    if not isinstance(root, dict) or not isinstance(root.get("entries"), list):
        return None
    return [
        (entry["name"], entry.get("type") == "tree")
        for entry in root["entries"]
        if isinstance(entry, dict) and isinstance(entry.get("name"), str)
    ]


def language_shares(node: dict[str, Any]) -> dict[str, float] | None:
    """Each language's share of the code in percent, as GitLab gives them."""
    languages = node.get("languages")
    if not isinstance(languages, dict) or not isinstance(languages.get("edges"), list):
        return None
    total = languages.get("totalSize")
    if not isinstance(total, int) or total <= 0:
        return {}
    shares = {}
    for edge in languages["edges"]:
        name = ((edge or {}).get("node") or {}).get("name")
        if isinstance(name, str) and isinstance(edge.get("size"), int):
            shares[name] = round(100 * edge["size"] / total, 2)
    return shares


def cost(data: dict[str, Any]) -> int:
    """The rate-limit points GitHub says the query cost (1 when it does not say)."""
    rate = data.get("rateLimit")
    value = rate.get("cost") if isinstance(rate, dict) else None
    return value if isinstance(value, int) and value >= 0 else 1
