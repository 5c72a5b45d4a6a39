"""Open-data file formats: the datasets and how each is written (CSV, JSON, NDJSON, gzip)."""
