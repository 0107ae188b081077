"""The headless domain: fetch, parse, store and lay out feeds. Never imports textual."""
