"""Sync with a feed server: one client interface, one module per service, one engine."""
