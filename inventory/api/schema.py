"""Post-processing of the OpenAPI schema, so that it says what the API accepts."""

from __future__ import annotations

from typing import Any

# Path ids are database ids: positive integers of at most 18 digits (base.integer_id).
INTEGER_ID = {"type": "integer", "minimum": 1, "maximum": 10**18 - 1}


def integer_path_ids(result: dict[str, Any], generator, request, public) -> dict[str, Any]:
    """Every ``{id}`` in a path is an integer (drf-spectacular cannot tell: the lookups reach the
    views as text, which answer 400 to anything else)."""
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                if parameter.get("in") == "path" and parameter.get("name") == "id":
                    parameter["schema"] = dict(INTEGER_ID)
    return result
