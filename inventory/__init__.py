"""The Django side of Logithèque, split by domain (organisations, forges, agents, catalog, api, opendata, web)."""
