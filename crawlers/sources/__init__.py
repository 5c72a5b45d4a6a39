"""Clients for the sources that enrich the catalog: Wikidata, Comptoir du Libre, CNLL, HAL, forges."""
