"""The readers' message catalogue (analysis.io.messages)."""

from __future__ import annotations

import string

from analysis.io import messages as msg
from analysis.vocab import Bilingual


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def catalogue() -> dict[str, Bilingual]:
    entries = {name: value for name, value in vars(msg).items() if isinstance(value, Bilingual)}
    entries.update({f"DOCUMENT_RULES[{key}]": value for key, value in msg.DOCUMENT_RULES.items()})
    return entries


def test_every_message_has_both_languages_with_the_same_placeholders():
    entries = catalogue()
    assert len(entries) >= 50
    for name, message in entries.items():
        assert message.zh.strip() and message.en.strip(), name
        assert fields(message.zh) == fields(message.en), name
        assert any("\u4e00" <= ch <= "\u9fff" for ch in message.zh), name


def test_per_language_takes_each_language_of_a_bilingual_value():
    joined = msg.per_language(msg.ZIP_NOT_A_TABLE, kind=msg.OFD)
    assert joined.zh.startswith("这是 OFD 版式文件，不是")
    assert joined.en.startswith("this is an OFD document, not")
    assert msg.per_language(msg.CANNOT_OPEN, reason="Permission denied") == msg.CANNOT_OPEN.format(
        reason="Permission denied"
    )


def test_a_refusal_carries_code_message_and_place():
    error = msg.refusal("short_row", msg.SHORT_ROW.format(cells=2, width=4), file="t.csv", row=3, field="牵头单位")
    (finding,) = error.findings
    assert (finding.code, finding.file, finding.row, finding.field) == ("short_row", "t.csv", 3, "牵头单位")
    assert finding.message_zh == "该行只有 2 个单元格，少于表头的 4 列"
    assert error.message("en").startswith("t.csv, row 3, field '牵头单位': the row has 2 cells")
