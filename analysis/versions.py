"""What changed between two versions of a plan, and which tasks keep their reported progress.

A pure function of two ``Plan`` models (no database): :func:`diff_versions`.

The matching rule (``MATCH_RULE``, shown to people as written here)
--------------------------------------------------------------------
A task of the new version is *the same task* as a task of the old version, and keeps its
reported progress, when

1. it has the same task number (``task_id``: 1, 2, 3 … as the table numbers its rows), and
2. its text is the same or nearly the same: after normalisation (Unicode NFKC, every kind of
   white space removed, full-width and half-width punctuation made alike) the two texts are
   equal, or their similarity — ``difflib.SequenceMatcher`` ratio, 1.0 for equal texts — is at
   least ``SIMILARITY_THRESHOLD`` (0.8: a reworded date, a unit or a clause added).

A task with the same number but a text below the threshold is another task under an old
number: the old one is *removed*, the new one *added*, and its progress starts afresh.
A task that merely moved to another number (a row inserted above it) does not keep its
progress either: numbers are what agencies report against, and a silent move could attach a
report to the wrong task. It is listed as ``renumbered`` so people can re-enter it.

For matched tasks the diff also lists changed lead units, support units and deadlines.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Final

import pandas as pd

from analysis.vocab import Bilingual, Role

if TYPE_CHECKING:
    from analysis.model import Plan

SIMILARITY_THRESHOLD: Final = 0.8

MATCH_RULE: Final = Bilingual(
    "新版本中的任务与旧版本中序号相同、且内容相同或基本相同（去除空白和标点差异后相同，或相似度不低于 {threshold:.0%}）"
    "的任务视为同一任务，沿用已报送的进展；序号相同但内容差异较大的视为新任务，进展重新报送；"
    "仅序号变化的任务不自动沿用进展。",
    "A task of the new version is the same task as the old version's task with the same number whose text is the "
    "same or nearly the same (equal once white space and punctuation differences are removed, or at least "
    "{threshold:.0%} similar); it keeps its reported progress. A task under the same number with a much changed "
    "text is a new task and its progress starts afresh; a task that only changed its number does not keep its "
    "progress automatically.",
).format(threshold=SIMILARITY_THRESHOLD)

_SPACE_RE: Final = re.compile(r"\s+")
# Punctuation that NFKC leaves different between full-width and half-width writing.
_PUNCT: Final = str.maketrans({"，": ",", "。": ".", "；": ";", "：": ":", "（": "(", "）": ")",
                               "、": ",", "“": '"', "”": '"', "‘": "'", "’": "'", "《": "<", "》": ">"})


def normalise_text(text: str) -> str:
    """Task text reduced for comparison: NFKC, no white space, punctuation made alike."""
    return _SPACE_RE.sub("", unicodedata.normalize("NFKC", text)).translate(_PUNCT)


def text_similarity(old: str, new: str) -> float:
    """Similarity of two task texts in [0, 1] (1.0: equal after normalisation).

    Below ``SIMILARITY_THRESHOLD`` the value may be a cheap upper bound rather than the exact ratio.
    """
    a, b = normalise_text(old), normalise_text(new)
    if a == b:
        return 1.0
    if not a or not b:
        return 0.0
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    # Cheap upper bounds first: below the threshold, the exact ratio cannot reach it either.
    for bound in (matcher.real_quick_ratio, matcher.quick_ratio):
        if (value := bound()) < SIMILARITY_THRESHOLD:
            return value
    return matcher.ratio()


def same_task(old_text: str, new_text: str) -> bool:
    """The matching rule for two tasks with the same number (see the module docstring)."""
    return text_similarity(old_text, new_text) >= SIMILARITY_THRESHOLD


@dataclass(frozen=True)
class Reworded:
    task_id: str
    similarity: float
    old_text: str
    new_text: str


@dataclass(frozen=True)
class UnitsChanged:
    task_id: str
    old: tuple[str, ...]
    new: tuple[str, ...]

    @property
    def added(self) -> tuple[str, ...]:
        return tuple(u for u in self.new if u not in self.old)

    @property
    def removed(self) -> tuple[str, ...]:
        return tuple(u for u in self.old if u not in self.new)


@dataclass(frozen=True)
class DeadlineChanged:
    task_id: str
    old: str  # ISO date
    new: str
    old_kind: str
    new_kind: str


@dataclass(frozen=True)
class PlanDiff:
    """Changes from an old to a new version of a plan (task ids are the new version's)."""

    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    reworded: tuple[Reworded, ...] = ()
    lead_changed: tuple[UnitsChanged, ...] = ()
    support_changed: tuple[UnitsChanged, ...] = ()
    deadline_changed: tuple[DeadlineChanged, ...] = ()
    renumbered: tuple[tuple[str, str], ...] = ()  # (old id, new id): same text, another number
    carried: tuple[str, ...] = field(default=())  # tasks that keep their progress

    @property
    def unchanged(self) -> bool:
        return not (self.added or self.removed or self.reworded or self.lead_changed
                    or self.support_changed or self.deadline_changed)

    def to_dict(self) -> dict[str, object]:
        """JSON-friendly form."""
        return {
            "added": list(self.added),
            "removed": list(self.removed),
            "reworded": [{"id": r.task_id, "similarity": round(r.similarity, 3)} for r in self.reworded],
            "lead_changed": [{"id": c.task_id, "old": list(c.old), "new": list(c.new)} for c in self.lead_changed],
            "support_changed": [
                {"id": c.task_id, "old": list(c.old), "new": list(c.new)} for c in self.support_changed
            ],
            "deadline_changed": [
                {"id": c.task_id, "old": c.old, "new": c.new, "old_kind": c.old_kind, "new_kind": c.new_kind}
                for c in self.deadline_changed
            ],
            "renumbered": [{"old": a, "new": b} for a, b in self.renumbered],
            "carried": list(self.carried),
        }


def _units(plan: Plan) -> dict[tuple[str, str], tuple[str, ...]]:
    """(task id, role) → agencies in table order."""
    units: dict[tuple[str, str], list[str]] = {}
    for task_id, agency, role in plan.assignments[["task_id", "agency", "role"]].itertuples(index=False):
        units.setdefault((str(task_id), str(role)), []).append(str(agency))
    return {key: tuple(value) for key, value in units.items()}


def diff_versions(old_plan: Plan, new_plan: Plan) -> PlanDiff:
    """Tasks added, removed and reworded; lead/support units and deadlines changed (see ``MATCH_RULE``)."""
    old_tasks = {str(t.task_id): t for t in old_plan.tasks.itertuples(index=False)}
    new_tasks = {str(t.task_id): t for t in new_plan.tasks.itertuples(index=False)}
    old_units, new_units = _units(old_plan), _units(new_plan)

    added: list[str] = []
    removed: list[str] = [tid for tid in old_tasks if tid not in new_tasks]
    reworded: list[Reworded] = []
    carried: list[str] = []
    lead: list[UnitsChanged] = []
    support: list[UnitsChanged] = []
    deadlines: list[DeadlineChanged] = []
    for tid, new in new_tasks.items():
        old = old_tasks.get(tid)
        if old is None:
            added.append(tid)
            continue
        similarity = text_similarity(str(old.text), str(new.text))
        if similarity < SIMILARITY_THRESHOLD:
            removed.append(tid)
            added.append(tid)
            continue
        carried.append(tid)
        if similarity < 1.0:
            reworded.append(Reworded(tid, similarity, str(old.text), str(new.text)))
        for role, changes in ((Role.LEAD, lead), (Role.SUPPORT, support)):
            before, after = old_units.get((tid, role), ()), new_units.get((tid, role), ())
            if set(before) != set(after):
                changes.append(UnitsChanged(tid, before, after))
        old_date = pd.Timestamp(str(old.deadline)).date().isoformat()
        new_date = pd.Timestamp(str(new.deadline)).date().isoformat()
        if old_date != new_date or str(old.deadline_kind) != str(new.deadline_kind):
            deadlines.append(DeadlineChanged(tid, old_date, new_date, str(old.deadline_kind), str(new.deadline_kind)))

    # Same text under another number: reported, never matched automatically.
    gone = {normalise_text(str(old_tasks[tid].text)): tid for tid in removed}
    renumbered = [
        (gone[key], tid) for tid in added
        if (key := normalise_text(str(new_tasks[tid].text))) in gone and gone[key] != tid
    ]
    order = {tid: i for i, tid in enumerate(old_tasks)}
    removed.sort(key=lambda tid: order[tid])
    return PlanDiff(
        added=tuple(added), removed=tuple(removed), reworded=tuple(reworded),
        lead_changed=tuple(lead), support_changed=tuple(support), deadline_changed=tuple(deadlines),
        renumbered=tuple(renumbered), carried=tuple(carried),
    )
