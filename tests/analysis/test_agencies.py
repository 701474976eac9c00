"""The agency registry (data/agencies.csv) and its loader, analysis.agencies."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from analysis.agencies import Agency, AgencyRegistry, load_registry
from analysis.vocab import AGENCY_TYPES

REPO = Path(__file__).resolve().parents[2]
TASKS_TXT = REPO / "data" / "plans" / "zhejiang_5g_2020_2022" / "tasks.txt"
HEADER = "label,full_name,english_name,type,aliases,verified,note\n"


def table_labels() -> set[str]:
    """Agency labels in the lead and support cells of the bundled table, parsed independently.

    Rows are blocks separated by empty lines; each cell is a line starting with a tab:
    number, task text, lead units, support units (the last may be an empty cell).
    """
    labels: set[str] = set()
    for block in TASKS_TXT.read_text(encoding="utf-8").split("\n\n"):
        cells = [line[1:] for line in block.split("\n") if line.startswith("\t")]
        if not cells or not cells[0].strip().isdigit():
            continue  # title, header row
        for cell in cells[2:4]:
            for part in re.split("[、，]", cell):
                label = part.strip().removesuffix("等")
                if label:
                    labels.add(label)
    return labels


@pytest.fixture(scope="module")
def registry() -> AgencyRegistry:
    return load_registry()


def write_csv(tmp_path: Path, body: str, name: str = "agencies.csv") -> Path:
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    return path


# ---------------------------------------------------------------------------- the bundled registry


def test_table_has_34_labels() -> None:
    labels = table_labels()
    assert len(labels) == 34
    assert "浙江铁塔" in labels and "浙江铁塔等" not in labels


def test_every_table_label_is_registered(registry: AgencyRegistry) -> None:
    for label in sorted(table_labels()):
        agency = registry.get(label)
        assert agency is not None, label
        assert agency.label == label  # registered under the table's own spelling
        assert agency.full_name.strip(), label
        assert agency.english_name.strip(), label
        assert agency.type in AGENCY_TYPES and agency.type != "unknown", label


def test_csv_columns_exact() -> None:
    frame = pd.read_csv(REPO / "data" / "agencies.csv", dtype=str, keep_default_na=False)
    assert list(frame.columns) == ["label", "full_name", "english_name", "english_short", "type", "aliases", "verified", "note"]
    assert (frame["english_short"].str.len().between(1, 32)).all()
    assert set(frame["verified"]) <= {"yes", "no"}
    assert (frame.loc[frame["verified"] == "no", "note"].str.strip() != "").all()


@pytest.mark.parametrize(
    ("label", "full_name"),
    [
        ("省经信厅", "浙江省经济和信息化厅"),
        ("省通管局", "浙江省通信管理局"),
        ("省委网信办", "中共浙江省委网络安全和信息化委员会办公室"),
        ("省电力公司", "国网浙江省电力有限公司"),
        ("浙江铁塔", "中国铁塔股份有限公司浙江省分公司"),
        ("华数集团", "华数数字电视传媒集团有限公司"),
        ("省卫健委", "浙江省卫生健康委员会"),
        ("省人力社保厅", "浙江省人力资源和社会保障厅"),
        ("省建设厅", "浙江省住房和城乡建设厅"),
        ("省发展改革委", "浙江省发展和改革委员会"),
    ],
)
def test_full_names(registry: AgencyRegistry, label: str, full_name: str) -> None:
    agency = registry.get(label)
    assert agency is not None and agency.full_name == full_name


def test_english_names(registry: AgencyRegistry) -> None:
    assert registry.get("省经信厅").english_name == "Zhejiang Provincial Department of Economy and Information Technology"
    assert registry.get("省通管局").english_name == "Zhejiang Communications Administration"


@pytest.mark.parametrize(
    ("label", "agency_type"),
    [
        ("省经信厅", "government_department"),
        ("省能源局", "government_department"),
        ("省大数据局", "government_department"),
        ("省地方金融监管局", "government_department"),
        ("省广电局", "government_department"),
        ("省通管局", "central_branch"),
        ("省邮政管理局", "central_branch"),
        ("省委网信办", "party_organ"),
        ("浙江电信", "enterprise"),
        ("浙江移动", "enterprise"),
        ("浙江联通", "enterprise"),
        ("浙江铁塔", "enterprise"),
        ("省电力公司", "enterprise"),
        ("华数集团", "enterprise"),
        ("浙江广电集团", "enterprise"),
        ("各省级单位", "collective"),
        ("各市相关单位", "collective"),
        ("各省属单位", "collective"),
        ("杭州亚组委", "other"),
    ],
)
def test_types(registry: AgencyRegistry, label: str, agency_type: str) -> None:
    assert registry.type_of(label) == agency_type
    assert registry.get(label).type == agency_type


def test_guangdian_group_is_flagged_unverified(registry: AgencyRegistry) -> None:
    agency = registry.get("浙江广电集团")
    assert agency.verified is False and "事业单位" in agency.note


# ---------------------------------------------------------------------------- lookup


def test_aliases_resolve(registry: AgencyRegistry) -> None:
    assert registry.resolve("省发改委") == "省发展改革委"
    assert registry.resolve("浙江省经济和信息化厅") == "省经信厅"
    assert registry.resolve(" 省经信厅 ") == "省经信厅"
    assert registry.resolve("国网浙江省电力有限公司") == "省电力公司"
    assert "省发改委" in registry
    assert registry.get("省发改委").label == "省发展改革委"


def test_unknown_labels(registry: AgencyRegistry) -> None:
    assert registry.resolve(" 某某公司 ") == "某某公司"
    assert registry.get("某某公司") is None
    assert "某某公司" not in registry
    assert registry.type_of("某某公司") == "enterprise"  # inferred from its form; still unregistered
    assert registry.type_of("某某中心") == "unknown"
    assert registry.type_of("县水务局") == "government_department"
    assert registry.type_of("滁州经开区管委会") == "zone_authority"
    assert registry.type_of("立山区人民政府") == "local_government"
    assert registry.type_of("各街道") == "collective"
    assert registry.type_of("省级有关部门") == "collective"
    assert AGENCY_TYPES[-1] == "unknown"


def test_describe(registry: AgencyRegistry) -> None:
    frame = registry.describe(["省经信厅", "各街道", "某某公司", "省经信厅"])
    assert list(frame.columns) == ["agency", "full_name", "english_name", "english_short", "type", "registered"]
    assert frame.iloc[0]["english_short"] == "Economy & IT Dept."
    assert list(frame["agency"]) == ["省经信厅", "各街道", "某某公司"]
    first, street, unknown = (frame.iloc[i] for i in range(3))
    assert first["full_name"] == "浙江省经济和信息化厅" and bool(first["registered"])
    assert street["type"] == "collective" and not street["registered"]
    assert unknown["full_name"] == unknown["english_name"] == "某某公司"
    assert unknown["type"] == "enterprise" and not unknown["registered"]  # type inferred from its form


def test_to_frame_round_trips(registry: AgencyRegistry) -> None:
    frame = registry.to_frame()
    assert len(frame) == len(registry)
    again = AgencyRegistry(frame)
    assert again.get("省经信厅") == registry.get("省经信厅")
    assert isinstance(again.get("省经信厅"), Agency)


# ---------------------------------------------------------------------------- validation


def test_valid_tmp_csv(tmp_path: Path) -> None:
    path = write_csv(tmp_path, HEADER + "省甲厅,浙江省甲厅,Dept A,government_department,甲厅|浙江省甲,yes,\n")
    reg = load_registry(path)
    assert reg.resolve("甲厅") == "省甲厅" and reg.resolve("浙江省甲厅") == "省甲厅"


def test_missing_column(tmp_path: Path) -> None:
    path = write_csv(tmp_path, "label,full_name,english_name,aliases\n省甲厅,浙江省甲厅,Dept A,\n")
    with pytest.raises(ValueError, match=r"agencies\.csv 第1行.*type") as info:
        load_registry(path)
    assert "row 1" in str(info.value)


def test_bad_type_names_row(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path,
        HEADER
        + "省甲厅,浙江省甲厅,Dept A,government_department,,yes,\n"
        + "省乙厅,浙江省乙厅,Dept B,government_department,,yes,\n"
        + "省丙厅,浙江省丙厅,Dept C,government_department,,yes,\n"
        + "省丁厅,浙江省丁厅,Dept D,ministry,,yes,\n",
    )
    with pytest.raises(ValueError) as info:
        load_registry(path)
    message = str(info.value)
    assert "agencies.csv 第5行 type" in message and "'ministry'" in message
    assert "agencies.csv row 5: invalid type 'ministry'" in message


def test_duplicate_label_names_row(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path,
        HEADER
        + "省甲厅,浙江省甲厅,Dept A,government_department,,yes,\n"
        + "省甲厅,浙江省甲厅二,Dept A2,government_department,,no,dup\n",
        name="my_agencies.csv",
    )
    with pytest.raises(ValueError) as info:
        load_registry(path)
    message = str(info.value)
    assert "my_agencies.csv 第3行 label" in message and "row 3" in message and "row 2" in message


def test_duplicate_alias_names_row(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path,
        HEADER
        + "省甲厅,浙江省甲厅,Dept A,government_department,甲厅,yes,\n"
        + "省乙厅,浙江省乙厅,Dept B,government_department,甲厅,yes,\n",
    )
    with pytest.raises(ValueError, match=r"第3行 aliases.*row 3"):
        load_registry(path)


def test_alias_equal_to_other_label(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path,
        HEADER
        + "省甲厅,浙江省甲厅,Dept A,government_department,,yes,\n"
        + "省乙厅,浙江省乙厅,Dept B,government_department,省甲厅,yes,\n",
    )
    with pytest.raises(ValueError, match=r"第3行 aliases"):
        load_registry(path)


def test_bad_verified_and_empty_label(tmp_path: Path) -> None:
    bad_verified = write_csv(tmp_path, HEADER + "省甲厅,浙江省甲厅,Dept A,government_department,,maybe,\n", "a.csv")
    with pytest.raises(ValueError, match=r"a\.csv 第2行 verified"):
        load_registry(bad_verified)
    empty_label = write_csv(tmp_path, HEADER + ",浙江省甲厅,Dept A,government_department,,yes,\n", "b.csv")
    with pytest.raises(ValueError, match=r"b\.csv 第2行 label"):
        load_registry(empty_label)


def test_blank_lines_keep_row_numbers(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path,
        HEADER + "省甲厅,浙江省甲厅,Dept A,government_department,,yes,\n\n省乙厅,浙江省乙厅,Dept B,bad,,yes,\n",
    )
    with pytest.raises(ValueError, match=r"第4行 type"):
        load_registry(path)


def test_utf8_bom_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "agencies.csv"
    path.write_bytes("\ufeff".encode() + (HEADER + "省甲厅,浙江省甲厅,Dept A,other,,yes,\n").encode())
    assert "省甲厅" in load_registry(path)
