"""The catalog search: analysis, stored documents, the needs vocabulary and ranking."""
