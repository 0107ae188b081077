"""Feed documents to ParsedFeed: the fast path by format, feedparser for the rest, JSON Feed."""
