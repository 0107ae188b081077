"""How the fast path says a document is feedparser's to read."""


class Refuse(Exception):
    """The document is not one the fast path reads exactly like feedparser."""


def refuse(*_: object) -> None:
    raise Refuse
