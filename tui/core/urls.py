"""What a user types for a feed -> the URLs it may name, one rule for every entry point."""

from __future__ import annotations

import contextlib
import ipaddress
from urllib.parse import urlsplit

from tui.core.text.sanitize import strip_controls


def normalise_url(url: str) -> str:
    """What a user typed -> a URL: add a scheme when it is missing.

    https for sites; http for this machine and bare IP addresses, which rarely have
    certificates (a feed served on 127.0.0.1 during development, a router, a NAS).
    """
    url = strip_controls(url).strip()
    if "://" in url or url.startswith(("http:", "https:")):
        return url
    try:
        host = urlsplit("//" + url).hostname or ""
    except ValueError:  # an unbalanced "[": the fetch says what is wrong with it
        host = ""
    local = host == "localhost" or host.endswith(".localhost")
    with contextlib.suppress(ValueError):
        ipaddress.ip_address(host)
        local = True
    return ("http://" if local else "https://") + url


def candidate_urls(typed: str) -> tuple[str, ...]:
    """The subscribed URLs ``typed`` may name, most likely first.

    ``add`` subscribes under the normalised URL; an imported list may hold a URL as
    written, scheme or not. So a feed is looked up under both.
    """
    return tuple(dict.fromkeys((normalise_url(typed), typed)))
