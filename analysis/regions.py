"""The region a plan belongs to, read from its title and the lines above its table.

``滁州市人民政府关于…的通知`` → 滁州市 (city); ``大竹县人民政府办公室`` → 大竹县 (county);
``鞍山市立山区人民政府文件`` → 鞍山市立山区 (district); ``广东省人民政府`` → 广东省 (province).
A title that starts with its place (``立山区政府2023年重点工作…``) names it too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

_MUNICIPALITIES: Final = ("北京市", "天津市", "上海市", "重庆市")
_PROVINCES: Final = (
    "河北省", "山西省", "辽宁省", "吉林省", "黑龙江省", "江苏省", "浙江省", "安徽省", "福建省", "江西省",
    "山东省", "河南省", "湖北省", "湖南省", "广东省", "海南省", "四川省", "贵州省", "云南省", "陕西省",
    "甘肃省", "青海省", "内蒙古自治区", "广西壮族自治区", "西藏自治区", "宁夏回族自治区",
    "新疆维吾尔自治区", *_MUNICIPALITIES,
)
_PLACE: Final = r"[\u4e00-\u9fff]{1,12}?(?:省|自治区|特别行政区|市|自治州|地区|盟|自治县|县|旗|区)"
# A place at the start of a line (or after punctuation), followed by its government or office.
_ISSUER_RE: Final = re.compile(
    rf"(?:^|(?<=[\s，,。：:】\]）)|]))(?<!各)(?P<place>{_PLACE})"
    r"(?:人民政府|政府|人民代表大会|人大常委会|委员会|办公厅|办公室|党委)"
)
_TITLE_PLACE_RE: Final = re.compile(rf"^(?P<place>{_PLACE})(?:政府|人民政府)?(?:\d{{4}}|关于|贯彻|推进|加快|全力)")
_NOT_PLACE_RE: Final = re.compile(r"^(?:本|我|全|该|各|市|县|区|省)|[的之和与及某]|关于|印发|转发|做好")


@dataclass(frozen=True)
class Region:
    name: str  # as written: 滁州市, 鞍山市立山区
    level: str  # province | city | county | district

    @property
    def province_level(self) -> bool:
        return self.level == "province"


def level_of(place: str) -> str:
    """province, city, county or district, from a place name's ending."""
    if place in _MUNICIPALITIES or place.endswith(("省", "自治区", "特别行政区")):
        return "province"
    if place.endswith(("自治县", "县", "旗")):
        return "county"
    if place.endswith("区") and not place.endswith("地区"):
        return "district"
    return "city"


def _usable(place: str) -> bool:
    return len(place) >= 2 and not _NOT_PLACE_RE.search(place)


def detect_region(title: str, lines: Iterable[str] = ()) -> Region | None:
    """The region of a plan: its title first, then the lines above its table (issuer, notice)."""
    candidates = [title, *lines]
    for province in _PROVINCES:
        if title.strip().startswith(province):
            return Region(province, "province")
    for text in candidates:
        text = text.strip()
        match = _TITLE_PLACE_RE.match(text)
        if match and _usable(match.group("place")):
            place = match.group("place")
            return Region(place, level_of(place))
        for match in _ISSUER_RE.finditer(text):
            place = match.group("place")
            if _usable(place):
                return Region(place, level_of(place))
    return None
