"""Vector indexes on Annoy (built in a later issue)."""
