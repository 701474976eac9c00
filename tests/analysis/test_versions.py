"""analysis.versions: the diff of two plan versions and the rule for which tasks keep their progress."""

from __future__ import annotations

import pytest

from analysis.model import plan_from_bytes
from analysis.versions import (
    SIMILARITY_THRESHOLD,
    diff_versions,
    normalise_text,
    same_task,
    text_similarity,
)
from tests.analysis.plan_edits import (
    NEW_TASK_7,
    edit,
    seed_text,
    task_cells,
    version_two,
)


@pytest.fixture(scope="module")
def v1():
    return plan_from_bytes(seed_text().encode(), "tasks.txt")


@pytest.fixture(scope="module")
def v2():
    return plan_from_bytes(version_two(seed_text()).encode(), "tasks.txt")


def test_identical_versions_have_no_changes(v1):
    again = plan_from_bytes(seed_text().encode(), "tasks.txt")
    diff = diff_versions(v1, again)
    assert diff.unchanged
    assert diff.carried == tuple(str(i) for i in range(1, 36))
    assert not diff.renumbered


def test_diff_finds_each_known_change(v1, v2):
    diff = diff_versions(v1, v2)
    # 7 got another text under its old number: the old task is removed, a new one added.
    assert set(diff.added) == {"7", "36"}
    assert set(diff.removed) == {"7", "35"}
    assert [r.task_id for r in diff.reworded] == ["3"]
    assert "2020年10月底前" in diff.reworded[0].new_text and "2020年8月底前" in diff.reworded[0].old_text
    assert [(c.task_id, c.old, c.new) for c in diff.lead_changed] == [("4", ("省建设厅",), ("省发展改革委",))]
    assert [(c.task_id, c.removed, c.added) for c in diff.support_changed] == [("5", ("华数集团",), ())]
    assert [(c.task_id, c.old, c.new) for c in diff.deadline_changed] == [("3", "2020-08-31", "2020-10-31")]
    expected_carried = {str(i) for i in range(1, 35)} - {"7"}
    assert set(diff.carried) == expected_carried
    assert not diff.unchanged
    data = diff.to_dict()
    assert data["lead_changed"] == [{"id": "4", "old": ["省建设厅"], "new": ["省发展改革委"]}]


def test_white_space_and_punctuation_width_do_not_count_as_rewording(v1):
    cells = task_cells(seed_text())
    spaced = cells["1"][1].replace("，", ", ").replace("。", ". ")
    plan = plan_from_bytes(edit(seed_text(), replace={"1": {1: "  " + spaced}}).encode(), "tasks.txt")
    diff = diff_versions(v1, plan)
    assert diff.unchanged and "1" in diff.carried


def test_a_task_moved_to_another_number_is_listed_not_matched(v1):
    cells = task_cells(seed_text())
    # 2's text moved to a new row 36; row 2 gets an unrelated text.
    text = edit(seed_text(), replace={"2": {1: NEW_TASK_7}}, append=(("36", cells["2"][1], cells["2"][2], cells["2"][3]),))
    diff = diff_versions(v1, plan_from_bytes(text.encode(), "tasks.txt"))
    assert diff.renumbered == (("2", "36"),)
    assert "2" not in diff.carried and "36" in diff.added


def test_similarity_rule():
    base = "2020年8月底前，指导各市编制发布5G基站站址专项规划。"
    assert text_similarity(base, base) == 1.0
    assert normalise_text("a ，b") == normalise_text("a,b")
    assert same_task(base, base.replace("8月", "10月"))
    assert not same_task(base, "建立全省5G网络安全保障体系。")
    assert not same_task(base, "")
    # The threshold is where the rule says: a text that keeps ~70 % of the original is another task.
    half = base[: int(len(base) * 0.6)]
    assert text_similarity(base, half) < SIMILARITY_THRESHOLD
