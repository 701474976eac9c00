"""Document reader: a plan whose responsibilities are written inline, not in a table.

Most plans publish no clean table: each task is a numbered item in the body of a notice
or work plan, with its units written after it. :func:`read_document` turns the lines of
such a document (text lines, or Word paragraphs in order, :func:`analysis.io.docx.docx_lines`)
into a :class:`RawTable`, the
same raw rows a table gives, so :mod:`analysis.model` interprets both alike.

Reading rules
-------------
* Items are numbered lines, in the usual hierarchy ``第一部分`` > ``一、`` > ``（一）`` >
  ``1.`` (also ``1.1``) > ``（1）`` / ``1）`` > ``①``, full-width or ASCII punctuation
  alike (Markdown ``#``, list bullets and ``**`` are dropped first). Unnumbered lines
  continue the item above them (hard line breaks, further paragraphs) until its
  responsibilities are written; prose after that belongs to no task (an ``info`` finding
  counts it) unless labelled units follow it, which makes it an unnumbered task.
* Tasks are the leaf items (items without sub-items). An item with sub-items is a
  section heading. A leaf heading above the level at which responsibilities are written
  and without any responsibility itself (``一、总体要求`` followed by prose) is a heading
  too, not a task (an ``info`` finding says so).
* Responsibilities, anywhere in an item:
  - a parenthesis with labels: ``（牵头单位：A；配合单位：B、C）``, ``（责任单位：A、B）``,
    ``(牵头单位:A;责任单位:B)``; labels as in :data:`LEAD_LABELS`, :data:`SUPPORT_LABELS`,
    :data:`RESPONSIBLE_LABELS`;
  - labelled text after the task in the same line (``…。牵头单位：A；配合单位：B``) or on
    lines of their own (``牵头单位：A``, ``配合单位：B。``);
  - a trailing parenthesis with a bare list ``（A、B、C）`` or ``（A牵头，B、C配合）`` — only
    when every part looks like an agency (a registry label or alias, a collective
    designation, or a name ending in 厅/局/委/办/部/院/会/中心/集团/公司/政府/单位/部门/
    街道/镇/区/县/市 …), so ``（试行）``, ``（2021-2023年）``, ``（以下简称“…”）`` stay text.
* Roles: 牵头单位 lead and 配合/协同单位 support; with a 牵头 label, 责任单位 support. A
  single list (责任单位 alone, or a bare list) is led by its first unit, unless units are
  marked ``（牵头）``. The report records each rule applied.
* ``牵头市领导：`` / ``责任领导：`` / ``分管领导：`` … name people: kept as the task's
  ``leaders``, never as agencies. ``完成时限：…`` lines are appended to the task text so
  its deadline is read.
* A sub-item without units of its own takes those written on its nearest heading.
* Blanket notes (``以下任务均需各区市政府落实，不再一一列出``: ``不再一一列出`` or
  ``以下/所有…任务…均需``), on a line of their own or in brackets, become plan-level notes.
* Ignored: notice headers (``关于印发…的通知``), document numbers (``〔2023〕2号``),
  addressee lines (``各县市区人民政府：``), signatures and dates, ``（此件公开发布）``, page
  furniture (``— 3 —``, ``第 3 页``, lines repeated on every page), ``附件`` lines and lists
  of attachments, 抄送/印发 lines.
* Title: the first ``《…》`` before the first item (a notice header ``关于印发…的通知``
  counts), else the first line that reads like a plan title. A single year in the title
  (``2021年重点工作``) becomes the table's ``default_year``; a period (``2021-2023年``,
  ``2020－2022年`` with any dash, ``2021年至2023年``) sets none (the model reads the period
  from the title).
* Themes: the heading at the top of each task's branch (``一、…``); headings shared by
  every task (``二、重点任务``) are skipped for the next level down.
* Task ids: the leaf numbers as written (``1``, ``（一）`` → ``一``, ``①`` → ``1``) when
  they are unique in the document; otherwise the shortest dotted path of numbers, from
  the leaf up, that is unique (``一.3``, ``二.一.2``); if even full paths repeat, tasks are
  numbered 1, 2, 3 … in document order. Unnumbered tasks count 1, 2 … among their
  siblings. The id is also the raw row's ``number``; the report says which scheme applied.
* The document is read only when at least one task has a responsibility (or a blanket
  note covers them); otherwise :func:`read_document` returns None.
* Never raises on any input lines.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Final, Literal

from analysis.agencies import AgencyRegistry, load_registry, looks_collective
from analysis.findings import ImportReport
from analysis.io import messages as msg
from analysis.io.headers import ColumnRole
from analysis.io.raw import BIDI_RE, RawRow, RawTable
from analysis.units import split_top_level
from analysis.vocab import (
    CN_NUMERALS,
    DIGITS,
    YEAR_RE,
    Role,
    ascii_digits,
    outline_level,
    year_range,
)

LEAD_LABELS = (
    "牵头单位", "牵头部门", "牵头责任单位", "牵头责任部门", "牵头负责单位", "主办单位", "主责单位",
    "主要责任单位", "牵头",
)
SUPPORT_LABELS = (
    "配合单位", "配合部门", "配合责任单位", "协同责任单位", "协同单位", "协同部门", "参与单位",
    "参与部门", "协办单位", "协助单位", "协作单位", "其他责任单位", "配合",
)
RESPONSIBLE_LABELS = (
    "责任单位", "责任部门", "负责单位", "负责部门", "责任主体", "实施单位", "承办单位", "落实单位",
    "具体责任单位", "主体责任单位", "部门分工",
)
TIME_LABELS = ("完成时限", "完成时间", "完成期限", "时间节点", "时限要求", "时间要求", "进度安排", "时限")
# 牵头市领导, 牵头负责领导, 责任领导, 分管领导, 分管市领导, 联系领导, 责任市领导, 市领导 …
LEADER_LABEL = (
    r"(?:牵头|责任|分管|联系|负责|协调|包抓|挂点|主要)?(?:[省市区县州]|市政府|区政府|县政府)?"
    r"(?:牵头|负责|分管|联系)?领导(?:同志)?"
)

_KIND_OF_LABEL = {
    **{label: Role.LEAD for label in LEAD_LABELS},
    **{label: Role.SUPPORT for label in SUPPORT_LABELS},
    **{label: "responsible" for label in RESPONSIBLE_LABELS},
    **{label: "time" for label in TIME_LABELS},
}
_LABEL_ALT = "|".join(sorted(map(re.escape, _KIND_OF_LABEL), key=len, reverse=True))
# A label starts the text or follows a separator, and is followed by a colon.
_LABEL_RE = re.compile(
    rf"(?:^|(?<=[；;，,。.\s（(【\[、]))(?P<label>{_LABEL_ALT}|{LEADER_LABEL})[ \t]*[：:]"
)
_LEADER_RE = re.compile(rf"^{LEADER_LABEL}$")

# Numbered items: the outline levels of analysis.vocab (OUTLINE_PATTERNS); the key of an
# item is its number in ASCII ("３．２" → "3.2").
_TO_ASCII = str.maketrans("０１２３４５６７８９．", "0123456789.")

_OPEN = "（(【["
_CLOSE = "）)】]"
_END_PUNCT = "。；;，,.、 \t"

# Lines that are never content.
_PAGE_RE = re.compile(
    r"^(?:[-—–－_·•~～\s]*[0-9０-９]{1,4}[-—–－_·•~～\s]*|第\s*[0-9０-９]+\s*页.*|共\s*[0-9０-９]+\s*页"
    r"|[0-9]+\s*/\s*[0-9]+|page\s*[0-9]+.*|[-—–－_=*·•\s]{3,})$",
    re.IGNORECASE,
)
_PUBLIC_RE = re.compile(r"^[（(]?\s*此件.{0,10}?[）)]?$")
_DOCNO_RE = re.compile(
    rf"^[^\s，。；]{{0,24}}[〔\[［【(（]\s*[{DIGITS}]{{4}}\s*[〕\]］】)）]\s*(?:第\s*)?[{DIGITS}]+\s*号$"
)
_NOTICE_RE = re.compile(r"^.{0,60}关于.{1,120}的(?:通知|决定|意见|函|批复|通报)$|^.{0,40}(?:文件|通知)$")
_ADDRESSEE_RE = re.compile(
    r"^[^。；]{1,100}(?:政府|单位|部门|机构|委|局|办|厅|处|室|企业|同志|街道|乡镇|镇)[：:]$"
)
_DATE = rf"[{DIGITS}〇零一二三四五六七八九○Ｏ]{{4}}\s*年\s*[{DIGITS}一二三四五六七八九十]{{1,2}}\s*月\s*[{DIGITS}一二三四五六七八九十]{{1,3}}\s*日"
_DATE_LINE_RE = re.compile(rf"^(?:[^。；，,\s]{{2,40}}\s*)?[（(]?{_DATE}[）)]?(?:印发|发布|签发)?$")
_SIGNATURE_RE = re.compile(r"^[^。；，,：:\s（(]{2,40}(?:政府|办公厅|办公室|委员会|领导小组|指挥部|委|局|厅)$")
_OFFICE_LINE_RE = re.compile(r"^(?:抄送|抄报|主送|主题词|签发人|联系人|联系电话|公开方式|责任编辑)\s*[：:]")
_ATTACHMENT_RE = re.compile(rf"^附\s*件\s*[{DIGITS}一二三四五六七八九十]*\s*(?:[：:]\s*(?P<rest>.*))?$")
_MARKDOWN_RE = re.compile(r"^(?:#{1,6}\s+|>\s*|[-*+]\s+(?=\S))")

# Blanket notes: a responsibility for every task, written once.
_BLANKET_RE = re.compile(
    r"不再(?:一一|逐一|逐项|重复|单独)?(?:列出|列举|列明|注明|标注)"
    r"|(?:以下|下列|上述|所有|各项|全部|本方案)(?:各项|所有)?(?:任务|工作|事项).{0,30}?(?:均|都)"
    r"(?:需|须|要|由|应|为)"
)
# A plan title: no sentence punctuation, ends in a document type, maybe a bracket after.
_TITLE_LINE_RE = re.compile(
    r"^[^。；：:]{4,80}(?:方案|计划|清单|要点|分工|分解|意见|安排|措施|规划|办法|细则|任务|台账|纲要)"
    r"(?:[（(][^）)]{1,20}[）)])?$"
)
_BOOK_TITLE_RE = re.compile(r"《([^》]{2,120})》")
_NOTICE_TITLE_RE = re.compile(r"关于印发(.{2,120}?)的通知")
_NOTICE_ANY_RE = re.compile(r"关于(?:印发|对|做好)?(.{2,120}?)的通知")

# Bare unit lists: what an agency's name ends with.
UNIT_SUFFIXES = (
    "厅", "局", "委", "办", "部", "院", "会", "中心", "集团", "公司", "政府", "单位", "部门", "街道",
    "镇", "乡", "区", "县", "市", "州", "旗", "所", "处", "署", "室", "站", "队", "社", "行", "校",
    "馆", "联", "协", "团", "组", "企业", "机关", "党委", "党组", "海关", "台",
)
_NOT_UNIT_RE = re.compile(
    r"简称|以下|试行|暂行|草案|修订|征求意见|[“”\"‘’'《》]|^(?:含|包括|例如|如|即|详见|见|注|参见|不含|除)"
    rf"|^(?:全|本|我|该|各级)[省市区县]$|[{DIGITS}]\s*[年月日号]"
)
_MARKER_RE = re.compile(r"[（(]\s*牵头(?:单位|部门)?\s*[）)]$")
_DUTY_SUFFIX_RE = re.compile(r"(?:按职责(?:分工)?(?:负责|落实)|分别负责|负责落实|共同负责|负责)$")
# 责任单位：A、B分别牵头: every unit of the list leads (Lishui 2023).
_EACH_LEADS_RE = re.compile(r"(?:分别|共同)牵头(?:负责)?$")
# A list cut off by a stored copy inside a name: a lone level character is no unit (责任单位：市).
_LONE_LEVEL_RE = re.compile(r"^[省市县区州]$")
# "A牵头，B、C配合": read by _sentence (a regex for it backtracked quadratically on a bracket of
# "A牵头，A牵头，…" repeated tens of thousands of times).
_SUPPORT_VERBS = tuple(sorted(("配合", "参与", "协同", "协助", "按职责分工负责", "按职责负责", "共同负责"), key=len, reverse=True))
_SENTENCE_SEPARATORS = "，,；;、"


def _sentence(content: str) -> tuple[str, str] | None:
    """(lead, support) of ``A牵头`` / ``A牵头负责`` / ``A牵头，B配合`` (the shortest lead that
    makes the whole content such a sentence), else None. Linear in the content's length."""
    if "：" in content or ":" in content:
        return None
    end = len(content)
    start = content.find("牵头", 1)
    while start != -1:
        rest = start + 2
        if content.startswith("负责", rest):
            rest += 2
        if rest == end:
            return content[:start].removesuffix("分别").removesuffix("共同"), ""
        if content[rest] in _SENTENCE_SEPARATORS:
            for verb in _SUPPORT_VERBS:
                if content.endswith(verb) and end - len(verb) > rest + 1:
                    return content[:start], content[rest + 1 : end - len(verb)].lstrip()
        start = content.find("牵头", start + 1)
    return None


# ------------------------------------------------------------------ responsibilities


@dataclass
class _Resp:
    """Responsibilities written on one item (units as written, with 等 and marks)."""

    lead: list[str] = field(default_factory=list)
    support: list[str] = field(default_factory=list)
    responsible: list[str] = field(default_factory=list)
    leaders: list[str] = field(default_factory=list)
    times: list[str] = field(default_factory=list)  # "完成时限：2021年底前"
    forms: set[str] = field(default_factory=set)  # which written forms were used

    @property
    def has_units(self) -> bool:
        return bool(self.lead or self.support or self.responsible)

    def merge(self, other: _Resp) -> None:
        self.lead += other.lead
        self.support += other.support
        self.responsible += other.responsible
        self.leaders += other.leaders
        self.times += other.times
        self.forms |= other.forms


def _parts(value: str) -> list[str]:
    """Units (or names) of a list as written, brackets kept: 各县（市、区）政府 is one."""
    parts = []
    for part in split_top_level(value):
        part = part.strip(" \t\u3000\u00a0。.：:\"'“”‘’")
        part = _DUTY_SUFFIX_RE.sub("", part).strip() if len(part) > 4 else part
        if part:
            parts.append(part)
    return parts


def _parse_labelled(content: str) -> _Resp | None:
    """``牵头单位：A；配合单位：B`` (content starting with a label), else None."""
    content = content.strip()
    matches = list(_LABEL_RE.finditer(content))
    if not matches or matches[0].start() != 0:
        return None
    resp = _Resp(forms={"labelled"})
    for match, following in zip(matches, [*matches[1:], None], strict=True):
        label = re.sub(r"\s+", "", match.group("label"))
        value = content[match.end() : following.start() if following else len(content)].strip(_END_PUNCT + "：:")
        kind = _KIND_OF_LABEL.get(label) or ("leader" if _LEADER_RE.match(label) else "")
        if kind == "leader":
            resp.leaders += _parts(value)
        elif kind == "time":
            if value:
                resp.times.append(f"{label}：{value}")
        elif kind and _LONE_LEVEL_RE.match(value):
            continue  # 责任单位：市 — a stored copy cut inside the first name: no unit named
        elif kind == "responsible" and _EACH_LEADS_RE.search(value):
            resp.lead.extend(_parts(_EACH_LEADS_RE.sub("", value)))
            resp.forms.add("each_leads")
        elif kind:
            getattr(resp, kind).extend(_parts(value))
    return resp


def _strip_marks(part: str) -> str:
    return re.sub(r"等(?:相关|有关)?(?:单位|部门)?$", "", _MARKER_RE.sub("", part)).strip()


class _UnitCheck:
    """Whether a text looks like an agency name (registry loaded once, lazily)."""

    def __init__(self) -> None:
        self._registry: AgencyRegistry | None = None
        self._loaded = False

    def _known(self, label: str) -> bool:
        if not self._loaded:
            self._loaded = True
            try:
                self._registry = load_registry()
            except (OSError, ValueError):  # a broken registry: fall back to the suffix rule
                self._registry = None
        return self._registry is not None and label in self._registry

    def __call__(self, part: str) -> bool:
        label = _strip_marks(part)
        if len(label) < 2 or len(label) > 40 or _NOT_UNIT_RE.search(label):
            return False
        if self._known(label) or looks_collective(label):
            return True
        core = re.sub(r"[（(][^（）()]*[）)]$", "", label)  # 各县（市、区） → 各县
        return len(core) >= 2 and (core.endswith(UNIT_SUFFIXES) or looks_collective(core))


def _parse_unlabelled(content: str, is_unit: _UnitCheck) -> _Resp | None:
    """A bare list ``A、B、C`` or ``A牵头，B、C配合`` whose parts all look like agencies."""
    content = content.strip().strip(_END_PUNCT)
    if not content or "：" in content or ":" in content or _BLANKET_RE.search(content):
        return None
    sentence = _sentence(content)
    if sentence is not None:
        lead, support = _parts(sentence[0]), _parts(sentence[1])
        if lead and all(map(is_unit, lead + support)):
            return _Resp(lead=lead, support=support, forms={"sentence"})
    parts = _parts(content)
    if parts and all(map(is_unit, parts)):
        return _Resp(responsible=parts, forms={"bare"})
    return None


_BRACKET_RE = re.compile(f"[{re.escape(_OPEN + _CLOSE)}]")


def _groups(text: str) -> list[tuple[int, int]]:
    """(start, end) of the top-level bracket groups in text, end exclusive."""
    groups = []
    depth = 0
    start = 0
    for match in _BRACKET_RE.finditer(text):
        index = match.start()
        if match.group() in _OPEN:
            if depth == 0:
                start = index
            depth += 1
        elif depth:
            depth -= 1
            if depth == 0:
                groups.append((start, index + 1))
    return groups


def _remove(text: str, start: int, end: int) -> str:
    before, after = text[:start].rstrip(), text[end:].strip()
    if before and after and before[-1] in "。；;，,.、" and after[0] in "。；;，,.、":
        after = after[1:]
    return (before + after).strip()


_SEQUENTIAL_REMOVALS = 64  # more groups than any real item has: removed in one linear pass


def _remove_all(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` without the (start, end) spans (left to right), punctuation doubled by a removal
    dropped as :func:`_remove` does; one pass, for items with very many groups."""
    kept: list[str] = []
    last_char = ""
    for index, start in enumerate([s for s, _ in spans] + [len(text)]):
        begin = spans[index - 1][1] if index else 0
        piece = text[begin:start]
        piece = piece.strip() if index else piece.rstrip()
        if index and last_char and piece and last_char in "。；;，,.、" and piece[0] in "。；;，,.、":
            piece = piece[1:]
        if piece:
            kept.append(piece)
            last_char = piece[-1]
    return "".join(kept).strip()


def _extract(text: str, is_unit: _UnitCheck) -> tuple[str, _Resp, list[str]]:
    """Task text without its responsibilities, the responsibilities, and blanket notes."""
    resp = _Resp()
    notes: list[str] = []
    # 1. Bracket groups with labels (or blanket notes), wherever they are (removed in one
    #    pass at the end: one string copy per group was quadratic in the number of groups).
    removed: list[tuple[int, int]] = []
    found_resps: list[_Resp] = []
    for start, end in reversed(_groups(text)):
        content = text[start + 1 : end - 1]
        if _BLANKET_RE.search(content) and not _LABEL_RE.search(content):
            notes.insert(0, content.strip())
            removed.append((start, end))
            continue
        found = _parse_labelled(content)
        if found is not None and (found.has_units or found.leaders):
            found_resps.append(found)
            removed.append((start, end))
    for found in found_resps:
        resp.merge(found)
    if len(removed) <= _SEQUENTIAL_REMOVALS:
        for start, end in removed:  # right to left
            text = _remove(text, start, end)
    else:
        text = _remove_all(text, removed[::-1])
    # 2. Labelled text at the end of the item: "…。牵头单位：A；配合单位：B". Only the first
    #    label after a separator is tried: the labels after it are part of what it reads.
    for match in _LABEL_RE.finditer(text):
        if match.start() == 0 or text[match.start() - 1] not in "。；; \t":
            continue
        found = _parse_labelled(text[match.start() :])
        if found is not None and (found.has_units or found.leaders):
            resp.merge(found)
            text = text[: match.start()].rstrip()
        break
    # 3. A trailing bare list: "（A、B、C）" / "（A牵头，B配合）".
    if not resp.has_units:
        stripped = text.rstrip(_END_PUNCT)
        groups = _groups(stripped)
        if groups and groups[-1][1] == len(stripped):
            start, end = groups[-1]
            found = _parse_unlabelled(stripped[start + 1 : end - 1], is_unit)
            if found is not None:
                resp.merge(found)
                text = _remove(text, start, end)
    return text.strip(), resp, notes


def _has_responsibility(text: str, is_unit: _UnitCheck) -> bool:
    _, resp, _ = _extract(text, is_unit)
    return resp.has_units or bool(resp.leaders)


def _roles(resp: _Resp) -> tuple[list[str], list[str], str]:
    """Lead and support units as written, and which rule decided them."""
    if resp.lead:
        rule = "lead_label_with_responsible" if resp.responsible else "labels"
        return resp.lead, resp.responsible + resp.support, rule
    if resp.responsible:
        marked = [p for p in resp.responsible if _MARKER_RE.search(p)]
        if marked:
            lead = [_MARKER_RE.sub("", p).strip() for p in marked]
            rest = [p for p in resp.responsible if p not in marked]
            return lead, rest + resp.support, "marked_lead"
        return resp.responsible[:1], resp.responsible[1:] + resp.support, "first_leads"
    return [], resp.support, "labels"


# ------------------------------------------------------------------------ line reading


@dataclass
class _Item:
    line: int
    rank: float
    key: str  # the number for ids: "一", "3", "1.2"
    label: str  # the number as written: "一、", "（三）", "3."
    parts: list[str]
    parent: _Item | None = None
    children: list[_Item] = field(default_factory=list)
    labelled: _Resp = field(default_factory=_Resp)  # from labelled lines and bracket lines
    closed: bool = False  # responsibilities written: further prose is not part of the item
    # set once all lines are read
    text: str = ""
    resp: _Resp = field(default_factory=_Resp)

    def ancestors(self) -> list[_Item]:
        chain = []
        node = self.parent
        while node is not None:
            chain.append(node)
            node = node.parent
        return chain[::-1]


def _normalise(line: str) -> str:
    line = str(line).replace("\u3000", " ").replace("\u00a0", " ").replace("\r", "").replace("\ufeff", "")
    line = BIDI_RE.sub("", line)
    line = line.strip()
    if _PAGE_RE.match(line):
        return line
    line = _MARKDOWN_RE.sub("", line).replace("**", "").replace("__", "")
    return line.strip()


def _numbered(line: str) -> tuple[float, str, str, str] | None:
    """(rank, key, number as written, text) of a numbered line."""
    found = outline_level(line)
    if found is None:
        return None
    level, number, rest = found
    key = number.translate(_TO_ASCII).replace(" ", "")
    if "\u2460" <= key <= "\u2473":
        key = str(ord(key) - 0x2460 + 1)
    rank = 3 + 0.1 * key.count(".") if level == 3 and "." in key else float(level)
    return rank, key, line[: len(line) - len(rest)].strip(), rest.strip()


def _is_date_line(line: str) -> bool:
    return bool(_DATE_LINE_RE.match(line))


def _is_office_line(line: str, next_line: str, *, in_item: bool = False) -> bool:
    """Preamble and signature lines that carry no task.

    Notice headers and addressee lines are looked for only outside an open item, where
    a line ending in 通知 or in a colon cannot be the task's own text.
    """
    return bool(
        _PUBLIC_RE.match(line)
        or _DOCNO_RE.match(line)
        or (not in_item and (_NOTICE_RE.match(line) or _ADDRESSEE_RE.match(line)))
        or _OFFICE_LINE_RE.match(line)
        or _is_date_line(line)
        or (_SIGNATURE_RE.match(line) and (not next_line or _is_date_line(next_line)))
    )


_RECENT_CHARS = 512


def _recent_text(parts: list[str]) -> str:
    """The last line of an item in full, after the end of the lines before it (_RECENT_CHARS).

    An open item has no responsibility in its earlier lines, so only a responsibility ending
    in the last line can close it: checking the whole item again at each line was quadratic.
    """
    recent = [parts[-1]]
    count = 0
    for index in range(len(parts) - 2, -1, -1):  # no copy of the list: it grows with every line
        piece = parts[index][-(_RECENT_CHARS - count) :]
        recent.append(piece)
        count += len(piece)
        if count >= _RECENT_CHARS:
            break
    return "".join(reversed(recent))


def _whole_group(line: str) -> str | None:
    """The content of a line that is one bracket group (plus end punctuation)."""
    stripped = line.rstrip(_END_PUNCT)
    groups = _groups(stripped)
    if len(groups) == 1 and groups[0] == (0, len(stripped)):
        return stripped[1:-1]
    return None


def _blanket_sentences(line: str) -> list[str]:
    sentences = [s for s in re.split(r"(?<=[。！；])", line) if s.strip()]
    found = [s.strip() for s in sentences if _BLANKET_RE.search(s)]
    return [s.strip("（()）。 ") for s in found]


@dataclass
class _Reader:
    is_unit: _UnitCheck = field(default_factory=_UnitCheck)
    items: list[_Item] = field(default_factory=list)
    stack: list[_Item] = field(default_factory=list)
    preamble: list[tuple[int, str]] = field(default_factory=list)
    pending: list[tuple[int, str]] = field(default_factory=list)
    ignored: list[tuple[int, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    headers: list[str] = field(default_factory=list)  # notice headers, for the title

    @property
    def current(self) -> _Item | None:
        return self.items[-1] if self.items else None

    def add_item(self, line: int, rank: float, key: str, label: str, text: str) -> _Item:
        self.flush_pending()
        while self.stack and self.stack[-1].rank >= rank:
            self.stack.pop()
        parent = self.stack[-1] if self.stack else None
        item = _Item(line=line, rank=rank, key=key, label=label, parts=[text] if text else [], parent=parent)
        item.closed = bool(text) and _has_responsibility(text, self.is_unit)
        if parent is not None:
            parent.children.append(item)
        self.items.append(item)
        self.stack.append(item)
        return item

    def flush_pending(self) -> None:
        if self.current is None:
            self.preamble += self.pending
        else:
            self.ignored += self.pending
        self.pending = []

    def attach(self, line: str, resp: _Resp, *, covers_run: bool = False) -> None:
        """Labelled lines or a bracket line: to the open item, or an unnumbered one.

        ``covers_run``: a bracket line of its own after a run of sub-items none of which has
        units ((1)…(4) then (责任单位：…), Yuncheng 2017) is the units of every item of the run.
        """
        current = self.current
        if covers_run and current is not None and not current.closed and not self.pending:
            for sibling in self._open_run_before(current):
                sibling.labelled.merge(resp)
                sibling.closed = True
        if self.pending and (current is None or current.closed):
            # Prose after a finished item (or before any item) followed by its units:
            # an unnumbered task.
            lines = self.pending if current is not None else self.pending[-1:]
            if current is None:
                self.preamble += self.pending[:-1]
            self.pending = []
            if current is not None:
                parent, rank = current.parent, current.rank
            else:
                parent, rank = None, 9
            siblings = parent.children if parent is not None else [i for i in self.items if i.parent is None]
            key = str(sum(1 for s in siblings if s.key.startswith("#")) + 1)
            item = _Item(line=lines[0][0], rank=rank, key="#" + key, label="", parts=[t for _, t in lines], parent=parent)
            if parent is not None:
                parent.children.append(item)
            self.items.append(item)
            current = item
        if current is None:
            self.notes.append(line)  # units written before any task: a note on the whole plan
            return
        current.labelled.merge(resp)
        current.closed = True

    def read(self, lines: list[tuple[int, str]]) -> None:
        texts = [(number, _normalise(text)) for number, text in lines]
        texts = [(number, text) for number, text in texts if text]
        repeated = self._repeated(texts)
        attachment_list = False
        for index, (number, line) in enumerate(texts):
            next_line = texts[index + 1][1] if index + 1 < len(texts) else ""
            if _PAGE_RE.match(line) or line in repeated:
                continue
            numbered = _numbered(line)
            if attachment_list:
                if numbered and len(numbered[3]) <= 60 and "。" not in numbered[3] and not _LABEL_RE.search(line):
                    continue
                attachment_list = False
            attachment = _ATTACHMENT_RE.match(line)
            if attachment:
                attachment_list = bool((attachment.group("rest") or "").strip())
                continue
            if numbered:
                rank, key, label, text = numbered
                self.add_item(number, rank, key, label, text)
                continue
            labelled = _parse_labelled(line)
            if labelled is not None:
                self.attach(line, labelled)
                continue
            group = _whole_group(line)
            if group is not None:
                if _BLANKET_RE.search(group) and not _LABEL_RE.search(group):
                    self.notes.append(group.strip())
                    continue
                found = _parse_labelled(group) or _parse_unlabelled(group, self.is_unit)
                if found is not None:
                    self.attach(line, found, covers_run=True)
                    continue
            if _BLANKET_RE.search(line) and not _LABEL_RE.search(line):
                self.notes += _blanket_sentences(line)
                continue
            current = self.current
            open_item = current is not None and not current.closed
            if _is_office_line(line, next_line, in_item=open_item):
                if _NOTICE_RE.match(line):
                    self.headers.append(line)
                continue
            if current is not None and open_item:
                current.parts.append(line)
                current.closed = _has_responsibility(_recent_text(current.parts), self.is_unit)
            else:
                self.pending.append((number, line))
        if self.current is None:
            self.preamble += self.pending
            self.pending = []
        self.flush_pending()

    @staticmethod
    def _open_run_before(item: _Item) -> list[_Item]:
        """The sub-items right above ``item`` (same heading, same level) without units of their own."""
        siblings = item.parent.children if item.parent is not None else []
        if item not in siblings:
            return []
        run: list[_Item] = []
        for sibling in reversed(siblings[: siblings.index(item)]):
            if sibling.closed or sibling.children or sibling.rank != item.rank or sibling.labelled.has_units:
                break
            run.append(sibling)
        return run

    @staticmethod
    def _repeated(texts: list[tuple[int, str]]) -> set[str]:
        """Running headers and footers: short plain lines found on three pages or more."""
        counts = Counter(text for _, text in texts)
        return {
            text for text, count in counts.items()
            if count >= 3 and len(text) <= 40 and not re.search(r"[。；，：:,;（(]", text)
            and _numbered(text) is None and _LABEL_RE.search(text) is None
        }


# ------------------------------------------------------------------------------ result


def _title(reader: _Reader, first_item_line: int | None) -> str:
    candidates = [line for number, line in reader.preamble if first_item_line is None or number < first_item_line]
    lines = [*reader.headers, *candidates]
    for line in lines:  # 关于印发2021年省《政府工作报告》重点任务分工方案的通知: the whole title
        match = _NOTICE_ANY_RE.search(line)
        if match and "《" in match.group(1) and not match.group(1).startswith("《"):
            return match.group(1).strip()
    for pattern in (_BOOK_TITLE_RE, _NOTICE_TITLE_RE, _NOTICE_ANY_RE):
        for line in lines:
            match = pattern.search(line)
            if match:
                return match.group(1).strip("《》 ")
    for line in candidates:
        if _TITLE_LINE_RE.match(line):
            return line
    return ""


def title_year(title: str) -> int | None:
    """The single year a title names (``2021年重点工作``), None for a period or none."""
    if year_range(title) is not None:
        return None
    years = {year for m in YEAR_RE.finditer(title) if 1900 <= (year := int(ascii_digits(m["year"]))) <= 2199}
    return years.pop() if len(years) == 1 else None


def _heading(item: _Item, is_unit: _UnitCheck) -> str:
    """A heading as a section name: its first line, without units, up to the first 。."""
    first = item.parts[0] if item.parts else ""
    text, _, _ = _extract(first, is_unit)
    text = re.split(r"[。；;！]", text, maxsplit=1)[0].strip(" ：:，,")
    return f"{item.label}{text}"


def _assign_ids(tasks: list[_Item], report: ImportReport) -> list[str]:
    paths = [[a.key for a in t.ancestors()] + [t.key] for t in tasks]
    paths = [[k.lstrip("#") for k in p] for p in paths]
    longest = max(map(len, paths), default=1)
    for depth in range(1, longest + 1):
        ids = [".".join(p[-depth:]) for p in paths]
        if len(set(ids)) == len(ids):
            report.rule(*(msg.RULE_IDS_AS_WRITTEN if depth == 1 else msg.RULE_IDS_DOTTED).pair())
            return ids
    report.rule(*msg.RULE_IDS_IN_ORDER.pair())
    return [str(i) for i in range(1, len(tasks) + 1)]


def _sections(tasks: list[_Item], headings: dict[int, str]) -> list[str]:
    chains = [t.ancestors() for t in tasks]
    # Headings shared by every task (二、重点任务) say nothing: go one level down.
    while chains and all(len(c) >= 2 for c in chains) and len({id(c[0]) for c in chains}) == 1:
        chains = [c[1:] for c in chains]
    return [headings[id(c[0])] if c else "" for c in chains]


def read_document(
    lines: Iterable[str] | Iterable[tuple[int, str]], file: str, report: ImportReport | None = None
) -> RawTable | None:
    """Tasks of a plan document (lines, or (line number, line) pairs), None when there are none."""
    report = report if report is not None else ImportReport(file=file)
    reader = _Reader()
    reader.read(_numbered_lines(lines))
    if not reader.items:
        return None
    _resolve_items(reader)
    tasks, not_tasks = _split_tasks(reader.items)
    if not tasks or (not any(map(_covered, tasks)) and not reader.notes):
        return None
    report.rule(*msg.RULE_DOCUMENT.pair())
    for item in not_tasks:
        heading = _heading(item, reader.is_unit)[:30]
        report.add("info", "not_a_task", *msg.NOT_A_TASK.format(heading=heading).pair(), row=item.line)
    headings = {id(item): _heading(item, reader.is_unit) for item in reader.items if item.children}
    ids = _assign_ids(tasks, report)
    sections = _sections(tasks, headings)
    rules_used: set[str] = set()
    rows = [
        _task_row(task, task_id, section, report, rules_used)
        for task, task_id, section in zip(tasks, ids, sections, strict=True)
    ]
    _report_rules(report, rules_used)
    _report_ignored(reader, report)
    notes = _plan_notes(reader, report)
    title = _title(reader, tasks[0].line)
    return RawTable(
        file=file,
        rows=rows,
        title=title,
        columns={ColumnRole.NUMBER: 0, ColumnRole.TEXT: 1, ColumnRole.LEAD: 2, ColumnRole.SUPPORT: 3},
        report=report,
        notes=notes,
        default_year=title_year(title),
    )


# A page whose paragraphs were joined into one line with spaces between them (Haiyan 2022):
# a space before an outline number or a responsibility label starts a paragraph. Chinese
# prose has no spaces, so a space there is a paragraph break the copy lost.
_RUN_ON_MIN: Final = 80
_RUN_ON_BREAK_RE: Final = re.compile(
    rf"[ \t\u3000\u00a0]+(?=[{CN_NUMERALS}]{{1,3}}、|[{DIGITS}]{{1,3}}[.．、](?![{DIGITS}])"
    rf"|[（(][{CN_NUMERALS}]{{1,3}}[）)]|(?:牵头|责任|配合|协同)(?:单位|部门)[：:])"
)


def _numbered_lines(lines: Iterable[str] | Iterable[tuple[int, str]]) -> list[tuple[int, str]]:
    """(line number, text) pairs: lines without numbers are counted from 1; a run-on line of
    paragraphs joined with spaces is split back into its paragraphs (same line number)."""
    numbered: list[tuple[int, str]] = []
    for index, entry in enumerate(lines, start=1):
        number, text = (int(entry[0]), str(entry[1])) if isinstance(entry, tuple) else (index, str(entry))
        if len(text) > _RUN_ON_MIN and _RUN_ON_BREAK_RE.search(text):
            numbered.extend((number, part) for part in _RUN_ON_BREAK_RE.split(text) if part.strip())
        else:
            numbered.append((number, text))
    return numbered


# A section heading naming the leader of its tasks: 王丹县长牵头重点工作, 曹惠明常务副县长牵头重点工作,
# 于会游市长主抓重点工作 (Haiyan 2022, Tongxiang 2020).
_LEADER_HEADING_RE: Final = re.compile(
    r"^(?P<name>[\u4e00-\u9fff]{2,3}?)(?:常务)?副?(?:省长|市长|县长|区长|州长|旗长|主任)"
    r"(?:牵头|主抓|负责|分管|领衔)(?:的)?(?:重点)?(?:工作|任务)?$"
)


def _resolve_items(reader: _Reader) -> None:
    """Each item's text without its responsibilities, and its responsibilities; blanket notes."""
    for item in reader.items:
        text, resp, notes = _extract("".join(item.parts), reader.is_unit)
        resp.merge(item.labelled)
        if resp.times:
            text = text + "".join(f"（{t}）" for t in resp.times)
        if item.children and not resp.leaders:
            heading = _LEADER_HEADING_RE.match(text)
            if heading:  # 一、王丹县长牵头重点工作: the leader of every task below
                resp.leaders.append(heading.group("name"))
        item.text, item.resp = text, resp
        reader.notes += notes


def _own(item: _Item) -> bool:
    """Units or leaders written on the item itself."""
    return item.resp.has_units or bool(item.resp.leaders)


def _inherited(item: _Item, attribute: Literal["units", "leaders"]) -> _Resp | None:
    """The responsibilities of the nearest heading above the item that has units (or leaders)."""
    for ancestor in reversed(item.ancestors()):
        resp = ancestor.resp
        if resp.has_units if attribute == "units" else bool(resp.leaders):
            return resp
    return None


def _covered(item: _Item) -> bool:
    """Units or leaders written on the item or on a heading above it."""
    return _own(item) or _inherited(item, "units") is not None or _inherited(item, "leaders") is not None


def _split_tasks(items: list[_Item]) -> tuple[list[_Item], list[_Item]]:
    """(tasks, headings that are not tasks) among the leaf items.

    A leaf above the level at which responsibilities are written, without any itself
    (一、总体要求 followed by prose), is a heading.
    """
    leaves = [item for item in items if not item.children]
    task_ranks = [item.rank for item in leaves if _own(item)]
    tasks: list[_Item] = []
    not_tasks: list[_Item] = []
    for item in leaves:
        if task_ranks and not _covered(item) and item.rank < min(task_ranks):
            not_tasks.append(item)
        else:
            tasks.append(item)
    return tasks, not_tasks


def _task_row(task: _Item, task_id: str, section: str, report: ImportReport, rules_used: set[str]) -> RawRow:
    """The raw row of a task; units and leaders not written on it come from its headings."""
    resp = task.resp
    if not resp.has_units:
        parent_resp = _inherited(task, "units")
        if parent_resp is not None:
            resp = _Resp(
                lead=parent_resp.lead, support=parent_resp.support, responsible=parent_resp.responsible,
                leaders=resp.leaders, forms=parent_resp.forms,
            )
            rules_used.add("inherited")
    leaders = resp.leaders
    if not leaders:
        parent_resp = _inherited(task, "leaders")
        if parent_resp is not None:
            leaders = parent_resp.leaders
            rules_used.add("inherited")
    lead, support, rule = _roles(resp)
    if resp.has_units:
        rules_used.add(rule)
        rules_used |= resp.forms
    if leaders:
        rules_used.add("leaders")
    if not lead and not support and not leaders:
        report.add("warning", "no_responsibility", *msg.NO_RESPONSIBILITY.pair(), row=task.line, field="责任单位")
    return RawRow(
        source_row=task.line,
        number=task_id,
        text=task.text,
        lead="、".join(lead),
        support="、".join(support),
        section=section,
        leaders=tuple(dict.fromkeys(leaders)),
    )


def _report_ignored(reader: _Reader, report: ImportReport) -> None:
    if reader.ignored:
        line, text = reader.ignored[0]
        message = msg.IGNORED_TEXT.format(count=len(reader.ignored), first=text[:30])
        report.add("info", "ignored_text", *message.pair(), row=line)


def _plan_notes(reader: _Reader, report: ImportReport) -> tuple[str, ...]:
    notes = tuple(dict.fromkeys(n for n in reader.notes if n))
    if notes:
        report.rule(*msg.RULE_BLANKET_NOTES.pair())
    return notes


def _report_rules(report: ImportReport, used: set[str]) -> None:
    for key, rule in msg.DOCUMENT_RULES.items():
        if key in used:
            report.rule(*rule.pair())


def read_document_text(text: str, file: str, report: ImportReport | None = None) -> RawTable | None:
    """:func:`read_document` on the lines of a text."""
    return read_document(list(enumerate(text.splitlines(), start=1)), file, report)


