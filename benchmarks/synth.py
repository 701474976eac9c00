"""Synthetic key task division tables (重点任务分工) at any size, deterministic by seed.

The tables look like the published ones: a title line 《某某计划（2021-2025年）》重点任务分工,
a header 序号 / 重点工作任务 / 牵头单位 / 配合单位, section heading rows (一、… 二、…),
numbered tasks whose text carries deadlines ("2021年6月底前", "到2023年", "2022年底前",
"2024年上半年", recurring wording, or none) and quantified targets ("建设10个以上…"),
and 1–8 units per task drawn with a skewed (Zipf-like) workload: a few agencies lead most
tasks, as in the real Zhejiang table. Agencies are the registry's real labels first, then
generated names (省…厅, 国家…局, …集团), plus a few collective designations (各市人民政府,
各县（市、区）人民政府) — up to 2 000 agencies.

The output is CSV bytes (UTF-8), read by the benchmark through `analysis.model.plan_from_bytes`
exactly like an upload, so the loader is measured too.
"""

from __future__ import annotations

import csv
import functools
import io
import itertools
import random
from bisect import bisect_left
from dataclasses import dataclass
from pathlib import Path

DEFAULT_SEED = 20210601
MAX_AGENCIES = 2000
REGISTRY_PATH = Path(__file__).resolve().parent.parent / "data" / "agencies.csv"

TITLE = "《某某计划（2021-2025年）》重点任务分工"
HEADER = ["序号", "重点工作任务", "牵头单位", "配合单位"]
PERIOD = (2021, 2025)

# Building blocks for generated agency names: 省 + 交通 + 科技 + 局 → 省交通科技局.
_PREFIXES = ("省", "国家", "市", "中央")
_FIELDS = (
    "经济", "信息", "科技", "教育", "交通", "财政", "人力", "资源", "生态", "环境", "住房", "建设",
    "水利", "农业", "商务", "文化", "旅游", "卫生", "健康", "应急", "审计", "市场", "监管", "体育",
    "统计", "医保", "林业", "粮食", "能源", "海洋", "港航", "机场", "金融", "数据", "通信", "广电",
    "电力", "邮政", "气象", "地震", "档案", "保密", "民政", "司法", "公安", "税务", "海关", "外事",
    "侨务", "宗教", "民族", "退役", "军人", "妇联", "团委", "科协", "工会", "残联", "法院", "检察",
)
_SUFFIXES = ("厅", "局", "委", "办", "中心", "集团", "公司", "研究院")
_COLLECTIVE = ("各市人民政府", "各县（市、区）人民政府", "省级有关部门", "各设区市")

_SECTIONS = (
    "网络基础设施建设", "融合应用创新", "产业能力提升", "数字政府建设", "公共服务优化",
    "生态环境保护", "营商环境改善", "科技创新突破", "人才队伍建设", "开放合作深化",
    "安全保障强化", "城乡统筹发展",
)
_VERBS = ("推进", "加快", "深化", "实施", "推动", "完善", "健全", "强化", "支持", "组织开展")
_OBJECTS = (
    "5G基站建设“一件事”集成改革", "工业互联网平台体系", "数字化车间和智能工厂", "城市大脑建设",
    "智慧医疗服务体系", "中小企业数字化转型", "数据资源共享开放", "新型基础设施布局",
    "重点产业链协同创新", "公共服务便利化改革", "生态环境监测网络", "应急管理能力建设",
    "产业园区提质升级", "人才引进培养机制", "跨区域合作机制", "政务服务“一网通办”",
)
_CLAUSES = (
    "实现“一次性规划、一平台受理、一次性踏勘、一揽子审批”",
    "确保与主体工程同步规划、同步设计、同步施工、同步验收",
    "形成可复制可推广的经验做法",
    "建立健全工作推进机制和考核评价体系",
    "加强政策支持和要素保障",
    "强化部门协同和省市县联动",
    "鼓励社会资本参与建设运营",
    "完善标准规范和安全保障体系",
)
_TARGET_ITEMS = (
    ("个", "联合创新中心"), ("家", "骨干企业"), ("个", "示范应用场景"), ("万个", "5G基站"),
    ("项", "重大项目"), ("个", "特色产业园区"), ("家", "省级数字化工厂"), ("所", "智慧校园"),
)


@dataclass(frozen=True)
class SynthPlan:
    tasks: int
    agencies: int
    data: bytes  # the CSV file
    name: str = "synthetic.csv"


def agency_count(tasks: int) -> int:
    """Agencies for a plan of `tasks` tasks: 34 at 35 tasks (as Zhejiang), growing
    sub-linearly, capped at 2 000."""
    return max(8, min(MAX_AGENCIES, round(34 * (tasks / 35) ** 0.55)))


def _registry_labels() -> list[str]:
    with REGISTRY_PATH.open(encoding="utf-8", newline="") as handle:
        return [row["label"].strip() for row in csv.DictReader(handle) if row.get("label", "").strip()]


def agency_names(count: int) -> list[str]:
    """`count` distinct agency labels: registry labels, a few collectives, generated names."""
    return list(_agency_names(count))


@functools.cache
def _agency_names(count: int) -> tuple[str, ...]:
    """`agency_names`, computed once per count (shuffling the name combinations takes a second)."""
    names = list(dict.fromkeys(_registry_labels()))[: max(count - len(_COLLECTIVE), 0)]
    names += [c for c in _COLLECTIVE if c not in names]
    taken = set(names)
    combos = list(itertools.product(_PREFIXES, itertools.permutations(_FIELDS, 2), _SUFFIXES))
    random.Random(DEFAULT_SEED).shuffle(combos)  # varied names, the same for every size
    for prefix, (a, b), suffix in combos:
        if len(names) >= count:
            break
        label = f"{prefix}{a}{b}{suffix}"
        if label not in taken:
            taken.add(label)
            names.append(label)
    return tuple(names[:count])


def _zipf_cdf(count: int, exponent: float) -> list[float]:
    weights = [1 / (rank ** exponent) for rank in range(1, count + 1)]
    total = sum(weights)
    cdf, running = [], 0.0
    for w in weights:
        running += w / total
        cdf.append(running)
    cdf[-1] = 1.0
    return cdf


def _draw(rng: random.Random, cdf: list[float]) -> int:
    return min(bisect_left(cdf, rng.random()), len(cdf) - 1)


def _chinese_number(n: int) -> str:
    digits = "零一二三四五六七八九"
    if n <= 10:
        return "十" if n == 10 else digits[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")


def _deadline_phrase(rng: random.Random, always: bool = False) -> str:
    """A deadline as written, or "" (no deadline: the task runs to the plan end)."""
    start, end = PERIOD
    roll = rng.random() * (0.40 if always else 1.0)
    year = rng.randint(start, end)
    if roll < 0.18:
        return f"{year}年{rng.randint(1, 12)}月底前"
    if roll < 0.28:
        return f"到{year}年"
    if roll < 0.35:
        return f"{year}年底前"
    if roll < 0.40:
        return f"{year}年{rng.choice(('上半年', '一季度', '三季度'))}"
    return ""


def _task_text(rng: random.Random, text_heavy: bool = False) -> str:
    deadline = _deadline_phrase(rng, always=text_heavy)
    clauses = rng.sample(_CLAUSES, 2 if rng.random() < 0.5 else 1)
    body = f"{rng.choice(_VERBS)}{rng.choice(_OBJECTS)}，" + "，".join(clauses)
    if text_heavy or rng.random() < 0.3:
        unit, item = rng.choice(_TARGET_ITEMS)
        body += f"，建设{rng.choice((5, 8, 10, 20, 50, 100))}{unit}以上{item}"
    if rng.random() < 0.08:  # recurring wording: ongoing tasks
        body += rng.choice(("，每年开展评估", "，持续推进", "，定期更新"))
    return f"{deadline}，{body}。" if deadline else body + "。"


_UNITS_PER_TASK = (1, 2, 3, 4, 5, 6, 7, 8)
_UNITS_WEIGHTS = (8, 12, 18, 18, 15, 12, 9, 8)


def generate(tasks: int, *, seed: int = DEFAULT_SEED, agencies: int | None = None, text_heavy: bool = False) -> SynthPlan:
    """A synthetic plan of `tasks` tasks as CSV bytes (same seed and size → same bytes).

    ``text_heavy``: every task's text has a deadline and a target (issue 13's speed case);
    the default plans draw them for some tasks only (their bytes are unchanged)."""
    if tasks < 1:
        raise ValueError("tasks must be at least 1")
    rng = random.Random(f"{seed}:{tasks}")
    count = agencies or agency_count(tasks)
    names = agency_names(count)
    count = len(names)
    # Two rankings: who leads (steep) and who supports (flatter, partly different order).
    # The busiest three agencies head both rankings; the rest support in another order.
    lead_rank = names[:]
    tail = names[3:]
    rng.shuffle(tail)
    support_rank = names[:3] + tail
    lead_cdf = _zipf_cdf(count, 1.15)
    support_cdf = _zipf_cdf(count, 0.85)
    sections = max(4, min(len(_SECTIONS), tasks // 150 or 4))
    per_section = -(-tasks // sections)

    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([TITLE])
    writer.writerow(HEADER)
    for number in range(1, tasks + 1):
        if (number - 1) % per_section == 0:
            index = (number - 1) // per_section
            writer.writerow([f"{_chinese_number(index + 1)}、{_SECTIONS[index % len(_SECTIONS)]}", "", "", ""])
        units = min(rng.choices(_UNITS_PER_TASK, _UNITS_WEIGHTS)[0], count)
        leads_n = 2 if units >= 3 and rng.random() < 0.12 else 1
        chosen: list[str] = []
        while len(chosen) < leads_n:
            name = lead_rank[_draw(rng, lead_cdf)]
            if name not in chosen:
                chosen.append(name)
        tries = 0
        while len(chosen) < units and tries < 50:
            tries += 1
            name = support_rank[_draw(rng, support_cdf)]
            if name not in chosen:
                chosen.append(name)
        lead = "、".join(chosen[:leads_n])
        support = "、".join(chosen[leads_n:])
        if support and rng.random() < 0.08:
            support += "等"
        writer.writerow([str(number), _task_text(rng, text_heavy), lead, support])
    return SynthPlan(tasks=tasks, agencies=count, data=buffer.getvalue().encode("utf-8"))


def write(tasks: int, path: Path, *, seed: int = DEFAULT_SEED) -> SynthPlan:
    plan = generate(tasks, seed=seed)
    path.write_bytes(plan.data)
    return plan
