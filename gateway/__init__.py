"""Weir gateway: HTTP server, request stages, providers, routing."""
