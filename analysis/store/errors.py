"""The workspace's error type (its own module so that ``analysis.store.access`` stays free of the database)."""

from __future__ import annotations

from analysis.vocab import Bilingual


class WorkspaceError(ValueError):
    """A workspace operation that cannot be done; the message is in Chinese and English."""

    def __init__(self, text: Bilingual) -> None:
        self.text = text
        super().__init__(f"{text.zh} | {text.en}")

    def message(self, lang: str = "zh") -> str:
        return self.text(lang)
