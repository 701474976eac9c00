"""The agency registry: short labels used in task tables, with full names, English names and types.

The registry lives in ``data/agencies.csv`` (documented in ``data/README.md``) and may be edited
by users. Each row is one agency label as written in tables (省经信厅); aliases and full names map
other spellings (省发改委, 浙江省经济和信息化厅) to that label, so imported tables that spell an
agency differently still count it as one agency.

The CSV is validated when loaded: a missing column, an invalid type code or verified value, an
empty label, or a label/alias/full name claimed by two rows raises ``ValueError`` with a bilingual
message naming the file, the row (header = row 1, first data row = row 2) and the field.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis.vocab import REGISTRY_TYPES, AgencyType

# Display order and the codes allowed in the CSV: analysis.vocab.AgencyType ("unknown" is reserved
# for labels that are *not* registered, and always comes last).

REQUIRED_COLUMNS: tuple[str, ...] = ("label", "full_name", "english_name", "type")
OPTIONAL_COLUMNS: tuple[str, ...] = ("english_short", "aliases", "verified", "note")
COLUMNS: tuple[str, ...] = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
DESCRIBE_COLUMNS: tuple[str, ...] = ("agency", "full_name", "english_name", "english_short", "type", "registered")

ALIAS_SEPARATOR = "|"
DEFAULT_REGISTRY_PATH = Path(__file__).resolve().parent.parent / "data" / "agencies.csv"

_TRUE = {"yes", "y", "true", "1", "是"}
_FALSE = {"no", "n", "false", "0", "否", ""}
_WS_RE = re.compile(r"\s+")
# A label that names a group rather than one body: 各省级单位, 各市相关单位, 省级有关部门, 各地 …
_COLLECTIVE_RE = re.compile(r"^各|相关单位|有关单位|有关部门|相关部门|各地")


@dataclass(frozen=True)
class Agency:
    """One registered agency."""

    label: str
    full_name: str
    english_name: str
    type: str
    aliases: tuple[str, ...]
    verified: bool
    note: str
    english_short: str = ""  # for chart labels; english_name when empty


#: The region the registry file describes: its full names are right for plans of this region only.
REGISTRY_REGION = "浙江省"
_REGISTRY_PLACES = (
    "浙江", "杭州", "宁波", "温州", "嘉兴", "湖州", "绍兴", "金华", "衢州", "舟山", "台州", "丽水",
)
_TYPE_BY_FORM: tuple[tuple[re.Pattern[str], AgencyType], ...] = (
    (re.compile(r"(?:管委会|管理委员会)$"), AgencyType.ZONE_AUTHORITY),
    (re.compile(r"(?:人民政府|政府|街道办事处|街道|办事处|乡|镇|乡镇)$"), AgencyType.LOCAL_GOVERNMENT),
    (re.compile(r"(?:公司|集团)$"), AgencyType.ENTERPRISE),
    (re.compile(r"(?:厅|局|委|办|委员会|办公室)$"), AgencyType.GOVERNMENT_DEPARTMENT),
)


def registry_applies(region: str) -> bool:
    """Whether the registry (one region's agencies) names the agencies of a plan of ``region``.

    An undetermined region ("") is read as the registry's own; a plan of another province,
    city or county never takes its full names (an Anhui plan's 省通信管理局 is not Zhejiang's).
    """
    return not region or any(region.startswith(place) for place in _REGISTRY_PLACES)


def infer_type(label: str) -> str:
    """The type of an unregistered name from its form (…厅/局/委/办 → department; …公司/集团
    → enterprise; 各… → collective; …人民政府, 街道, 乡镇 → local government; 管委会 → zone
    authority); ``unknown`` when the form says nothing."""
    text = label.strip()
    if looks_collective(text):
        return AgencyType.COLLECTIVE.value
    for pattern, agency_type in _TYPE_BY_FORM:
        if pattern.search(text):
            return agency_type.value
    return AgencyType.UNKNOWN.value


def looks_collective(label: str) -> bool:
    """True for labels that designate a group of units (各…, …相关单位, …有关部门, 各地…)."""
    return bool(_COLLECTIVE_RE.search(label.strip()))


def _key(text: str) -> str:
    """Lookup key: white space removed (incl. full-width), case folded."""
    return _WS_RE.sub("", text).casefold()


def _error(source: str, row: int, field: str, zh: str, en: str) -> ValueError:
    return ValueError(f"{source} 第{row}行 {field} 字段{zh} / {source} row {row}: {en}")


class AgencyRegistry:
    """Agencies by label, with alias and full-name resolution.

    Build from a DataFrame with the CSV's columns (strings), or use :func:`load_registry`.
    ``source`` is the file name used in error messages.
    """

    def __init__(self, frame: pd.DataFrame, source: str = "agencies.csv") -> None:
        self.source = source
        self._agencies: dict[str, Agency] = {}
        self._lookup: dict[str, str] = {}  # key -> canonical label
        self._claimed: dict[str, tuple[int, str]] = {}  # key -> (row, field) that claimed it
        self._build(frame)

    # ------------------------------------------------------------------ construction

    def _build(self, frame: pd.DataFrame) -> None:
        columns = [str(c).strip().lstrip("\ufeff") for c in frame.columns]
        missing = [c for c in REQUIRED_COLUMNS if c not in columns]
        if missing:
            names = ", ".join(missing)
            raise ValueError(
                f"{self.source} 第1行（表头）缺少列：{names} / {self.source} row 1 (header): missing column(s) {names}"
            )
        frame = frame.copy()
        frame.columns = columns
        for column in OPTIONAL_COLUMNS:
            if column not in frame.columns:
                frame[column] = ""
        frame = frame[list(COLUMNS)].fillna("").astype(str)

        for position, record in enumerate(frame.itertuples(index=False)):
            row = position + 2  # header is row 1
            values = {c: str(getattr(record, c)).strip() for c in COLUMNS}
            if not any(values.values()):
                continue  # blank line
            self._add_row(row, values)

    def _add_row(self, row: int, values: dict[str, str]) -> None:
        label = values["label"]
        if not label:
            raise _error(self.source, row, "label", "为空", "empty label")
        agency_type = values["type"]
        if agency_type not in REGISTRY_TYPES:
            allowed = ", ".join(REGISTRY_TYPES)
            raise _error(
                self.source, row, "type", f"无效：'{agency_type}'（可选：{allowed}）",
                f"invalid type '{agency_type}' (allowed: {allowed})",
            )
        verified_text = values["verified"].casefold()
        if verified_text not in _TRUE | _FALSE:
            raise _error(
                self.source, row, "verified", f"无效：'{values['verified']}'（应为 yes 或 no）",
                f"invalid verified value '{values['verified']}' (expected yes or no)",
            )
        aliases = tuple(dict.fromkeys(
            a.strip() for a in values["aliases"].split(ALIAS_SEPARATOR) if a.strip() and _key(a) != _key(label)
        ))

        self._claim(row, "label", label, label)
        for alias in aliases:
            self._claim(row, "aliases", alias, label)
        full_name = values["full_name"]
        if full_name and _key(full_name) not in {_key(label), *map(_key, aliases)}:
            self._claim(row, "full_name", full_name, label)

        self._agencies[label] = Agency(
            label=label,
            full_name=full_name,
            english_name=values["english_name"],
            type=agency_type,
            aliases=aliases,
            verified=verified_text in _TRUE,
            note=values["note"],
            english_short=values["english_short"],
        )

    def _claim(self, row: int, field: str, name: str, label: str) -> None:
        key = _key(name)
        if key in self._claimed:
            first_row, first_field = self._claimed[key]
            raise _error(
                self.source, row, field, f"重复：'{name}'（已在第{first_row}行 {first_field} 中出现）",
                f"duplicate {field} '{name}' (already in row {first_row}, {first_field})",
            )
        self._claimed[key] = (row, field)
        self._lookup[key] = label

    # ------------------------------------------------------------------ lookup

    def resolve(self, label: str) -> str:
        """The canonical label for a label, alias or full name; the input stripped if unknown."""
        text = str(label).strip()
        return self._lookup.get(_key(text), text)

    def get(self, label: str) -> Agency | None:
        """The agency for a label, alias or full name, or None."""
        return self._agencies.get(self.resolve(label))

    def __contains__(self, label: object) -> bool:
        return isinstance(label, str) and self.resolve(label) in self._agencies

    def __len__(self) -> int:
        return len(self._agencies)

    def __iter__(self) -> Iterator[Agency]:
        return iter(self._agencies.values())

    @property
    def labels(self) -> tuple[str, ...]:
        """Registered labels in file order."""
        return tuple(self._agencies)

    def type_of(self, label: str) -> str:
        """The registered type; "collective" for unregistered group labels (各…), else "unknown"."""
        agency = self.get(label)
        if agency is not None:
            return agency.type
        return infer_type(str(label))

    # ------------------------------------------------------------------ tables

    def to_frame(self) -> pd.DataFrame:
        """The registry as a table with the CSV's columns (aliases joined by |, verified as bool)."""
        return pd.DataFrame(
            [
                {
                    "label": a.label,
                    "full_name": a.full_name,
                    "english_name": a.english_name,
                    "english_short": a.english_short,
                    "type": a.type,
                    "aliases": ALIAS_SEPARATOR.join(a.aliases),
                    "verified": a.verified,
                    "note": a.note,
                }
                for a in self
            ],
            columns=list(COLUMNS),
        )

    def describe(self, labels: Iterable[str]) -> pd.DataFrame:
        """One row per distinct label (as given, stripped; order kept) with names, type and registered.

        Unregistered labels get their own text as full and English name.
        """
        records = []
        for label in dict.fromkeys(str(x).strip() for x in labels):
            if not label:
                continue
            agency = self.get(label)
            records.append({
                "agency": label,
                "full_name": (agency.full_name or agency.label) if agency else label,
                "english_name": (agency.english_name or agency.label) if agency else label,
                "english_short": (agency.english_short or agency.english_name or agency.label) if agency else label,
                "type": self.type_of(label),
                "registered": agency is not None,
            })
        frame = pd.DataFrame(records, columns=list(DESCRIBE_COLUMNS))
        frame["registered"] = frame["registered"].astype(bool)
        return frame


def read_registry_csv(path: Path) -> pd.DataFrame:
    """The CSV as strings; UTF-8 (with or without BOM), falling back to GB18030 for Excel exports."""
    options = {"dtype": str, "keep_default_na": False, "skip_blank_lines": False}
    try:
        try:
            return pd.read_csv(path, encoding="utf-8-sig", **options)
        except UnicodeDecodeError:
            return pd.read_csv(path, encoding="gb18030", **options)
    except pd.errors.EmptyDataError as exc:
        raise ValueError(f"{path.name} 文件为空 / {path.name}: the file is empty") from exc
    except pd.errors.ParserError as exc:
        raise ValueError(f"{path.name} 无法按 CSV 读取：{exc} / {path.name}: not a readable CSV: {exc}") from exc


def load_registry(path: Path | None = None) -> AgencyRegistry:
    """Load and validate the registry (default: data/agencies.csv in the repository)."""
    path = Path(path) if path is not None else DEFAULT_REGISTRY_PATH
    return AgencyRegistry(read_registry_csv(path), source=path.name)
