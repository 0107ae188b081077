"""Getting feeds: fetching over HTTP, decoding, parsing, OPML and discovery."""
