"""The audit trail as people read it: actions, objects and the app's own actor in the UI
language; the record (codes, before/after JSON) as stored."""

from __future__ import annotations

import datetime as dt
import re

from analysis.i18n import t
from analysis.store.audit import AuditAction, action_label, audit_table, object_label


def test_every_action_has_a_label_in_both_languages():
    for action in AuditAction:
        zh, en = action_label(action.value, "zh"), action_label(action.value, "en")
        assert zh != action.value and not re.search(r"[A-Za-z]", zh), action
        assert en != action.value and en.isascii(), action
    assert action_label("unknown_code", "zh") == "unknown_code"  # a newer code is shown as stored


def test_the_chinese_table_speaks_chinese(workspace):
    workspace.report_progress(1, "2", "delayed", expected_previous=None, actor="李娜", as_of=dt.date(2020, 9, 2))
    table = audit_table(workspace.audit(plan_id=1), "zh")
    actions = table[t("audit_action", "zh")].tolist()
    assert actions[0] == "报送进展" and actions[-1] == "新增方案"
    assert table[t("audit_col_object", "zh")].tolist()[0] == "任务 2"
    assert table[t("audit_col_object", "zh")].tolist()[-1] == "方案 1"
    assert table[t("audit_actor", "zh")].tolist()[-1] == "系统"  # the seeding of the bundled plan
    assert '"status": "delayed"' in table[t("audit_col_after", "zh")].tolist()[0]  # the record as stored
    assert object_label("浙江省:省经信厅", "zh") == "浙江省:省经信厅"
