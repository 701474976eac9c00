"""Region of a plan from its title and the lines above its table (analysis.regions)."""

from __future__ import annotations

import pytest

from analysis.agencies import registry_applies
from analysis.regions import Region, detect_region


@pytest.mark.parametrize("title,lines,region", [
    ("2020年市政府重点工作及责任分解", ["滁州市人民政府关于2020年市政府重点工作及责任分解的通知"], Region("滁州市", "city")),
    ("2016年民生实事目标任务分解表", ["大竹县人民政府办公室关于对2016年民生实事进行重点督办的通知"], Region("大竹县", "county")),
    ("立山区政府2023年重点工作任务分解", [], Region("立山区", "district")),
    ("x", ["广东省人民政府关于印发2021年省《政府工作报告》重点任务分工方案的通知"], Region("广东省", "province")),
    ("浙江省5G发展三年行动计划（2020－2022年）", [], Region("浙江省", "province")),
    ("上海市2021年工作要点", [], Region("上海市", "province")),
    ("某市2022年重点任务", [], None),  # a placeholder, not a place
    ("x", ["关于印发某市2023年优化营商环境重点任务分工方案的通知", "某市人民政府办公室"], None),
    ("x", ["各县(市、区)人民政府,市城乡一体化示范区"], None),  # an addressee line
])
def test_detect_region(title, lines, region):
    assert detect_region(title, lines) == region


def test_the_registry_applies_to_its_own_region_only():
    assert registry_applies("") and registry_applies("浙江省") and registry_applies("杭州市")
    assert not registry_applies("安徽省") and not registry_applies("滁州市")
