"""Post-processing of the OpenAPI schema, so that it says what the API accepts."""

from __future__ import annotations

from typing import Any

# Text parameters take anything but NUL (Django's form fields refuse it, and so does PostgreSQL).
NO_NUL = "^[^\\x00]*$"
# Path ids are database ids: positive integers of at most 18 digits (base.integer_id).
INTEGER_ID = {"type": "integer", "minimum": 1, "maximum": 10**18 - 1}


def integer_path_ids(result: dict[str, Any], generator, request, public) -> dict[str, Any]:
    """Every ``{id}`` in a path is an integer (drf-spectacular cannot tell: the lookups reach the
    views as text, which answer 400 to anything else), and no text query parameter takes NUL."""
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                schema = parameter.get("schema", {})
                if parameter.get("in") == "path" and parameter.get("name") == "id":
                    parameter["schema"] = dict(INTEGER_ID)
                elif (
                    parameter.get("in") == "query"
                    and schema.get("type") == "string"
                    and not {"pattern", "enum", "format"} & set(schema)
                ):
                    schema["pattern"] = NO_NUL
    return result
