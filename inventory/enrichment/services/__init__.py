"""Every write of the enrichment domain: links between entries and sources, refreshes, logos."""
