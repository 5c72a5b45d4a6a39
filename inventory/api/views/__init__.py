"""API views: anonymous reads, agents' writes, schema and documentation."""
