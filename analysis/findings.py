"""Import findings: errors that stop an import and warnings that keep the data.

Every finding names where it was found (file, row, field) and carries its message in
Chinese and English, so the app and the CLI can show it in the user's language.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Level = Literal["error", "warning", "info"]


@dataclass(frozen=True)
class Finding:
    level: Level
    code: str
    message_zh: str
    message_en: str
    file: str = ""
    row: int | None = None
    field: str = ""

    def message(self, lang: str = "zh") -> str:
        """The message prefixed with its location, in the given language."""
        text = self.message_zh if lang == "zh" else self.message_en
        return f"{self.location(lang)}{text}"

    def location(self, lang: str = "zh") -> str:
        parts: list[str] = []
        if self.file:
            parts.append(self.file)
        if self.row is not None:
            parts.append(f"第{self.row}行" if lang == "zh" else f"row {self.row}")
        if self.field:
            parts.append(f"“{self.field}”" if lang == "zh" else f"field '{self.field}'")
        if not parts:
            return ""
        sep = "，" if lang == "zh" else ", "
        return sep.join(parts) + ("：" if lang == "zh" else ": ")

    def to_dict(self) -> dict[str, object]:
        return {
            "level": self.level,
            "code": self.code,
            "file": self.file,
            "row": self.row,
            "field": self.field,
            "message_zh": self.message("zh"),
            "message_en": self.message("en"),
        }


@dataclass
class ImportReport:
    """What the import found and which reading rules it applied."""

    file: str = ""
    findings: list[Finding] = field(default_factory=list)
    rules: list[tuple[str, str]] = field(default_factory=list)  # (zh, en) notes on rules applied

    def add(
        self,
        level: Level,
        code: str,
        zh: str,
        en: str,
        *,
        row: int | None = None,
        field: str = "",
    ) -> None:
        self.findings.append(Finding(level, code, zh, en, self.file, row, field))

    def rule(self, zh: str, en: str) -> None:
        if (zh, en) not in self.rules:
            self.rules.append((zh, en))

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.level == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.level == "warning"]

    def raise_if_errors(self) -> None:
        if self.errors:
            raise PlanImportError(self.errors, self)


class PlanImportError(Exception):
    """The plan could not be imported. Carries the findings that stopped it."""

    def __init__(self, findings: list[Finding] | Finding, report: ImportReport | None = None):
        self.findings = [findings] if isinstance(findings, Finding) else list(findings)
        self.report = report
        super().__init__(self.message("en"))

    def __reduce__(self) -> tuple[type[PlanImportError], tuple[list[Finding], ImportReport | None]]:
        # Unpickled with its findings (a refusal crosses the worker process boundary,
        # analysis.isolate): Exception's default would call __init__ with the message text.
        return (PlanImportError, (self.findings, self.report))

    def message(self, lang: str = "zh") -> str:
        sep = "；" if lang == "zh" else "; "
        return sep.join(f.message(lang) for f in self.findings)


def import_error(
    code: str, zh: str, en: str, *, file: str = "", row: int | None = None, field: str = ""
) -> PlanImportError:
    return PlanImportError(Finding("error", code, zh, en, file, row, field))
