"""In-process model worker (built in a later issue)."""
