"""Errors a user may be shown, whose sentence lives in the message catalogue."""

from __future__ import annotations

from sinergi.messages import Lang, t


class CatalogueError(ValueError):
    """``code`` names the catalogue's sentence and ``params`` fill it: ``message(lang)`` is the
    sentence for a reader; ``str()`` the English one, for logs and for callers that match on text.
    """

    def __init__(self, code: str, /, **params: object) -> None:
        super().__init__(t(code, "en", **params))
        self.code = code
        self.params = params

    def message(self, lang: Lang) -> str:
        """The sentence in ``lang``."""
        return t(self.code, lang, **self.params)
