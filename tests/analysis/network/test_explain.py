"""What each metric means: every metric explained, in both languages."""

from __future__ import annotations

import re

from analysis import network as net
from analysis.vocab import Bilingual


def test_metric_explanations_cover_every_metric():
    required = {
        "lead", "support", "degree", "weighted_degree", "betweenness", "closeness", "eigenvector",
        "core", "community", "density", "degree_centralization", "average_clustering", "modularity",
    }
    assert required <= set(net.METRIC_EXPLANATIONS)
    for key, texts in net.METRIC_EXPLANATIONS.items():
        assert set(texts) == {"zh", "en", "name_zh", "name_en"}, key
        assert all(texts.values()), key
        assert re.search(r"[\u4e00-\u9fff]", texts["zh"] + texts["name_zh"]), key
    assert net.METRIC_EXPLANATIONS["betweenness"]["name_zh"] == "中介中心度"
    assert net.METRIC_EXPLANATIONS["betweenness"]["name_en"] == "Betweenness"


def test_explanations_are_bilingual_values():
    for key, explanation in net.METRIC_EXPLANATIONS.items():
        assert isinstance(explanation, net.MetricExplanation), key
        assert isinstance(explanation.name, Bilingual) and isinstance(explanation.text, Bilingual), key
        assert explanation.name("zh") == explanation["name_zh"] and explanation.name("en") == explanation["name_en"]
        assert explanation.text("zh") == explanation["zh"] and explanation.text("en") == explanation["en"]
        assert explanation.name("zh") != explanation.name("en"), key
    # the metric columns and network-level numbers the pages label from the catalogue
    columns = set(net.METRIC_COLUMNS) - {"agency", "type"}
    assert columns <= set(net.METRIC_EXPLANATIONS)
