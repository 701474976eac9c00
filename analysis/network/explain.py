"""What each network measure means, in words for the people who read the dashboard and report.

`METRIC_EXPLANATIONS` maps a metric (a column of `agency_metrics` or a field of
`NetworkStats`) to its `MetricExplanation`: a short name and a one-sentence definition,
both `analysis.vocab.Bilingual`. The definitions match the computations in
`analysis.network.metrics` and `analysis.network.communities`.

A `MetricExplanation` is also a read-only mapping with the keys ``name_zh``, ``name_en``,
``zh`` and ``en`` (the shape the pages and `analysis.derive` tables read).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Final

from analysis.vocab import LANGUAGES, Bilingual, Role


@dataclass(frozen=True)
class MetricExplanation(Mapping[str, str]):
    """A metric's short `name` and its definition `text`, in both languages."""

    name: Bilingual
    text: Bilingual

    def _texts(self) -> dict[str, str]:
        texts = {f"name_{lang}": self.name(lang) for lang in LANGUAGES}
        texts.update({lang: self.text(lang) for lang in LANGUAGES})
        return texts

    def __getitem__(self, key: str) -> str:
        return self._texts()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._texts())

    def __len__(self) -> int:
        return len(self._texts())


METRIC_EXPLANATIONS: Final[dict[str, MetricExplanation]] = {
    Role.LEAD.value: MetricExplanation(
        name=Bilingual("牵头任务数", "Lead tasks"),
        text=Bilingual(
            "该单位作为牵头单位负责的任务数量。",
            "How many tasks this agency leads.",
        ),
    ),
    Role.SUPPORT.value: MetricExplanation(
        name=Bilingual("配合任务数", "Support tasks"),
        text=Bilingual(
            "该单位作为配合单位参与的任务数量。",
            "How many tasks this agency supports without leading them.",
        ),
    ),
    "tasks": MetricExplanation(
        name=Bilingual("任务总数", "Tasks"),
        text=Bilingual(
            "该单位牵头或配合的任务总数。",
            "All tasks this agency leads or supports.",
        ),
    ),
    "degree": MetricExplanation(
        name=Bilingual("合作单位数", "Partners (degree)"),
        text=Bilingual(
            "与该单位至少共同承担过一项任务的不同单位个数。",
            "How many different agencies share at least one task with this agency.",
        ),
    ),
    "weighted_degree": MetricExplanation(
        name=Bilingual("协作次数", "Weighted degree"),
        text=Bilingual(
            "该单位与所有合作单位共同承担任务的次数之和：同一单位合作越多，计数越多。",
            "Shared tasks summed over all partners: repeated work with the same partner counts each time.",
        ),
    ),
    "betweenness": MetricExplanation(
        name=Bilingual("中介中心度", "Betweenness"),
        text=Bilingual(
            "该单位处在其他单位之间最短协作路径上的程度：数值越高，越是连接不同单位群体的“桥梁”。",
            "How often this agency lies on the shortest chain of shared tasks between two others: high values mark a bridge between groups.",
        ),
    ),
    "closeness": MetricExplanation(
        name=Bilingual("接近中心度", "Closeness"),
        text=Bilingual(
            "该单位经过多少次“转手”能联系到其他单位：数值越高，信息和协调越能快速传到全网。",
            "How few hand-offs this agency needs to reach all others: high values mean coordination spreads quickly from it.",
        ),
    ),
    "eigenvector": MetricExplanation(
        name=Bilingual("特征向量中心度", "Eigenvector centrality"),
        text=Bilingual(
            "不仅看合作单位多少，还看合作单位本身是否处于核心：与核心单位频繁合作的单位数值高。",
            "Counts not just how many partners an agency has but how central they are: frequent work with central agencies scores high.",
        ),
    ),
    "core": MetricExplanation(
        name=Bilingual("核心层级（k核）", "Core number (k-core)"),
        text=Bilingual(
            "该单位所在的最紧密合作圈层：k 表示圈内每个单位至少与 k 个圈内单位合作。",
            "The tightest circle the agency belongs to: in a k-core every member works with at least k other members.",
        ),
    ),
    "core_periphery": MetricExplanation(
        name=Bilingual("核心—边缘位置", "Core or periphery"),
        text=Bilingual(
            "按k核层级划分：处在最高层级为“核心”，达到最高层级一半为“半核心”，其余为“边缘”。",
            "From the core number: the highest level is core, at least half of it is semi-core, the rest is periphery.",
        ),
    ),
    "community": MetricExplanation(
        name=Bilingual("协作群组", "Community"),
        text=Bilingual(
            "算法找出的内部合作明显多于对外合作的单位群组，编号1为最大的群组。",
            "Groups of agencies that work together much more than with others, found by the Louvain method; group 1 is the largest.",
        ),
    ),
    "density": MetricExplanation(
        name=Bilingual("网络密度", "Density"),
        text=Bilingual(
            "实际存在的合作关系占所有可能单位配对的比例：越接近1，单位之间越是普遍合作。",
            "The share of all possible agency pairs that actually share a task: close to 1 means nearly everyone works with everyone.",
        ),
    ),
    "degree_centralization": MetricExplanation(
        name=Bilingual("度中心势", "Degree centralization"),
        text=Bilingual(
            "合作关系集中在少数单位身上的程度：越接近1，越像以一个单位为中心的“星形”结构。",
            "How much the partnerships concentrate on a few agencies: close to 1 is a star around one agency.",
        ),
    ),
    "average_clustering": MetricExplanation(
        name=Bilingual("平均聚类系数", "Average clustering"),
        text=Bilingual(
            "一个单位的两个合作单位之间也相互合作的平均比例：越高，合作越呈“小圈子”。",
            "How often two partners of an agency also work with each other: high values mean tight-knit circles.",
        ),
    ),
    "modularity": MetricExplanation(
        name=Bilingual("模块度", "Modularity"),
        text=Bilingual(
            "协作群组划分的清晰程度：高于约0.3说明群组内部合作明显多于群组之间。",
            "How clearly the network splits into groups: above about 0.3 the groups work much more inside than across.",
        ),
    ),
    "components": MetricExplanation(
        name=Bilingual("连通部分数", "Components"),
        text=Bilingual(
            "互不相连的单位群数量：不同部分之间没有任何共同任务。",
            "How many separate pieces the network has: pieces share no task at all.",
        ),
    ),
    "communities": MetricExplanation(
        name=Bilingual("群组数", "Communities"),
        text=Bilingual(
            "算法找出的协作群组个数。",
            "How many collaboration groups the Louvain method found.",
        ),
    ),}
