"""Text for people, in Chinese (default) and English, from one catalogue.

Pages, figures, exports and the CLI take their labels from here, never from literals,
so the language switch changes every label, title and legend at once.
"""

from __future__ import annotations

from enum import StrEnum

from analysis.vocab import (
    DEFAULT_LANGUAGE,
    LANGUAGES,
    AgencyType,
    Bilingual,
    DeadlineKind,
    DueStatus,
    ProgressStatus,
    Rag,
    Role,
)

__all__ = [
    "DEFAULT_LANGUAGE", "LANGUAGES", "TEXT", "Bilingual", "enum_key", "label", "role_label", "t", "type_label",
]

# Written as (Chinese, English) pairs for readability; TEXT holds them as Bilingual values.
_ENTRIES: dict[str, tuple[str, str]] = {
    # app and navigation
    "app_title": ("任务分工看板", "Task Division Dashboard"),
    "page_overview": ("总览", "Overview"),
    "page_workload": ("工作量", "Workload"),
    "page_timeline": ("时间线", "Timeline"),
    "page_network": ("协作网络", "Network"),
    "page_tasks": ("任务清单", "Tasks"),
    "language": ("语言 / Language", "语言 / Language"),
    "presentation_mode": ("演示模式（投影用）", "Presentation mode (for projecting)"),
    "presentation_help": (
        "更大的字号和图表，收起侧边栏，适合在协调会上投影。",
        "Larger fonts and charts, sidebar collapsed: for projecting at a coordination meeting.",
    ),
    # data source
    "data_source": ("数据来源", "Data source"),
    "bundled_plan": ("内置：浙江省5G行动计划", "Bundled: Zhejiang 5G plan"),
    "upload_plan": ("上传任务分工表", "Upload a task table"),
    "use_bundled": ("改用内置浙江计划", "Back to the bundled Zhejiang plan"),
    "upload_help": (
        "支持 .txt、.csv、.tsv、.xlsx、.docx；需包含“重点工作任务”和“牵头单位”（或“责任单位”）列。",
        "Accepts .txt, .csv, .tsv, .xlsx, .docx with a task column and a lead (or responsible) units column.",
    ),
    "importing_progress": (
        "正在读取 {file}：已用 {seconds} 秒（上限 {limit} 秒）。点击页面上任意按钮即可取消。",
        "Reading {file}: {seconds} s so far (limit {limit} s). Click any button on the page to cancel.",
    ),
    "import_cancelled": ("导入已取消，仍显示之前的计划", "the import was cancelled; the previous plan stays on screen"),
    "upload_failed": ("导入失败，仍显示之前的计划：", "Import failed; the previous plan stays on screen:"),
    "upload_ok": ("已导入：{file}", "Imported: {file}"),
    "import_report": ("导入报告", "Import report"),
    "no_findings": ("没有发现问题。", "No problems found."),
    "rules_applied": ("适用的读取规则", "Reading rules applied"),
    "warnings_count": ("{n} 条警告", "{n} warnings"),
    # filters
    "filters": ("筛选", "Filters"),
    "filter_agency": ("单位", "Agency"),
    "filter_type": ("单位类型", "Agency type"),
    "filter_theme": ("主题", "Theme"),
    "filter_role": ("角色", "Role"),
    "meeting_date": ("会议日期", "Meeting date"),
    "meeting_date_help": (
        "协调会日期：时间线标出此日，并列出此前到期和即将到期的任务。",
        "Date of the coordination meeting: the timeline marks it and lists what falls due around it.",
    ),
    "due_window": ("“即将到期”范围（天）", "'Due soon' window (days)"),
    "clear_filters": ("清除筛选", "Clear filters"),
    "choose": ("全部（可多选）", "All (choose to filter)"),
    "share_link_note": (
        "筛选条件已写入网址，复制浏览器地址即可分享当前视图。",
        "The filters are in the address bar: copy the URL to share this view.",
    ),
    "filters_active": ("已筛选：{n} 项任务（共 {total} 项）", "Filtered: {n} of {total} tasks"),
    "nothing_matches": ("当前筛选条件下没有任务。", "No task matches the current filters."),
    # roles and kinds
    "role_lead": ("牵头", "Lead"),
    "role_support": ("配合", "Support"),
    "deadline": ("期限", "Deadline"),
    "deadline_kind_explicit": ("明确期限", "Explicit deadline"),
    "deadline_kind_plan_end": ("至规划期末", "Runs to plan end"),
    "deadline_kind_ongoing": ("持续推进", "Ongoing"),
    "status_overdue": ("已过期限", "Past deadline"),
    "status_due_soon": ("即将到期", "Due soon"),
    "status_later": ("尚未到期", "Later"),
    "status_plan_end": ("至规划期末", "Runs to plan end"),
    # reported progress (督查督办) and red/amber/green warnings (三色预警)
    "progress_not_started": ("未启动", "Not started"),
    "progress_in_progress": ("推进中", "In progress"),
    "progress_done": ("已完成", "Done"),
    "progress_delayed": ("滞后", "Delayed"),
    "progress_suspended": ("暂缓", "Suspended"),
    "rag_red": ("红色预警", "Red"),
    "rag_amber": ("黄色预警", "Amber"),
    "rag_green": ("绿色（正常）", "Green"),
    # agency types
    "type_government_department": ("政府部门", "Government department"),
    "type_central_branch": ("中央驻浙机构", "Central agency branch"),
    "type_party_organ": ("党委机构", "Party organ"),
    "type_enterprise": ("企业", "Enterprise"),
    "type_collective": ("统称（非具体单位）", "Collective designation"),
    "type_other": ("其他机构", "Other body"),
    "type_unknown": ("未登记单位", "Unregistered"),
    # columns
    "col_task_id": ("序号", "No."),
    "col_text": ("重点工作任务", "Task"),
    "col_theme": ("主题", "Theme"),
    "col_lead": ("牵头单位", "Lead"),
    "col_support": ("配合单位", "Support"),
    "col_deadline": ("期限", "Deadline"),
    "col_deadline_kind": ("期限类型", "Deadline type"),
    "col_deadline_text": ("原文期限", "Deadline as written"),
    "col_targets": ("量化目标", "Targets"),
    "col_status": ("状态", "Status"),
    "col_days": ("距会议天数", "Days from meeting"),
    "col_agency": ("单位", "Agency"),
    "col_full_name": ("全称", "Full name"),
    "col_type": ("类型", "Type"),
    "col_lead_count": ("牵头任务数", "Tasks led"),
    "col_support_count": ("配合任务数", "Tasks supported"),
    "col_total": ("任务总数", "Total tasks"),
    "col_score": ("加权工作量", "Weighted workload"),
    "col_role": ("角色", "Role"),
    "col_partner": ("协作单位", "Partner"),
    "col_shared": ("共同任务数", "Shared tasks"),
    "col_shared_tasks": ("共同任务", "Shared tasks (No.)"),
    # overview
    "tile_tasks": ("重点任务", "Tasks"),
    "tile_agencies": ("责任单位", "Agencies"),
    "tile_explicit": ("有明确期限", "With explicit deadline"),
    "tile_targets": ("量化目标", "Quantitative targets"),
    "plan_period": ("规划期：{start} 至 {end}", "Plan period: {start} to {end}"),
    "agencies_by_type": ("各类型单位数", "Agencies by type"),
    "tasks_per_theme": ("各主题任务数", "Tasks per theme"),
    "top_leads": ("牵头任务最多的单位", "Agencies leading most tasks"),
    "due_by_meeting": ("截至会议日期的到期情况", "Due around the meeting date"),
    "due_summary": (
        "会议日期 {date}：{overdue} 项已过期限，{soon} 项将在 {days} 天内到期。",
        "Meeting on {date}: {overdue} tasks past their deadline, {soon} due within {days} days.",
    ),
    # workload
    "sort_by": ("排序", "Sort by"),
    "sort_total": ("任务总数", "Total tasks"),
    "sort_lead": ("牵头任务数", "Tasks led"),
    "sort_score": ("加权工作量", "Weighted workload"),
    "measure": ("度量", "Measure"),
    "measure_count": ("任务数", "Task count"),
    "measure_score": ("加权工作量", "Weighted workload"),
    "lead_weight": ("牵头任务权重", "Weight of a led task"),
    "lead_weight_help": (
        "加权工作量 = 牵头任务数 × 权重 + 配合任务数 × 1。",
        "Weighted workload = tasks led × weight + tasks supported × 1.",
    ),
    "workload_title": ("各单位牵头与配合任务数", "Tasks led and supported per agency"),
    "workload_score_title": (
        "各单位加权工作量（牵头 ×{w}，配合 ×1）",
        "Weighted workload per agency (lead ×{w}, support ×1)",
    ),
    "heatmap_title": ("单位 × 主题任务分布", "Tasks per agency and theme"),
    "matrix_title": ("责任矩阵（任务 × 单位）", "Responsibility matrix (task × agency)"),
    "matrix_note": (
        "“牵”= 牵头，“配”= 配合。",
        "L = lead, S = support.",
    ),
    "matrix_lead_mark": ("牵", "L"),
    "matrix_support_mark": ("配", "S"),
    "agency_tasks": ("{agency} 的任务", "Tasks of {agency}"),
    "choose_agency": ("选择单位查看其任务", "Choose an agency to see its tasks"),
    "count_axis": ("任务数", "Tasks"),
    "score_axis": ("加权工作量", "Weighted workload"),
    # timeline
    "timeline_title": ("任务时间线（{start} 至 {end}）", "Task timeline ({start} to {end})"),
    "group_by": ("分组", "Group by"),
    "group_none": ("不分组", "None"),
    "group_theme": ("按主题", "By theme"),
    "group_lead": ("按牵头单位", "By lead agency"),
    "deadline_distribution_title": ("{n} 项任务的期限分布（按季度）", "Deadlines of {n} tasks by quarter"),
    "deadline_quarter_axis": ("期限所在季度", "Deadline quarter"),
    "meeting_line": ("会议 {date}", "Meeting {date}"),
    "milestone": ("期限节点", "Deadline"),
    "due_list": ("到期清单（相对会议日期）", "Due list (relative to the meeting date)"),
    "show_statuses": ("显示状态", "Show statuses"),
    "rows_shown": ("显示 {shown} / {total} 行", "Showing {shown} of {total} rows"),
    "page_number": ("页码", "Page"),
    "agencies_shown": ("图中显示的单位数（按排序取前 N 个）", "Agencies shown (top N by the sort order)"),
    "agencies_hidden": ("显示前 {shown} 个单位，共 {total} 个；完整数据见下表。", "Showing the top {shown} of {total} agencies; the table below has all."),
    "date_axis": ("日期", "Date"),
    # network
    "network_title": ("单位协作网络", "Agency collaboration network"),
    "color_by": ("节点颜色", "Node colour"),
    "color_type": ("单位类型", "Agency type"),
    "color_community": ("协作群组", "Community"),
    "computing_network": ("正在计算协作网络（任务多时需要十几秒）…", "Computing the network (large plans take a few seconds) …"),
    "min_weight": ("最少共同任务数", "Minimum shared tasks"),
    "min_weight_default_note": ("协作关系较多：默认只显示共同任务不少于 {w} 项的关系（约 {n} 条以内），可向左调低。",
                                "Many ties: by default only those with at least {w} shared tasks are drawn (up to about {n}); slide left for more."),
    "include_collective": ("显示统称（各省级单位等）", "Show collective designations"),
    "include_collective_help": (
        "“各省级单位”等统称不是具体单位，会扭曲中心度，默认不计入。",
        "Collective designations are not single agencies and distort centrality; left out by default.",
    ),
    "hidden_notice": (
        "为保持清晰，隐藏了 {nodes} 个单位和 {edges} 条协作关系。",
        "For legibility, {nodes} agencies and {edges} links are hidden.",
    ),
    "click_node_hint": (
        "点击网络图中的单位，或在下方选择，查看其协作详情。",
        "Click an agency in the network, or choose one below, to see its panel.",
    ),
    "agency_panel": ("{agency} · 协作详情", "{agency} · panel"),
    "partners": ("协作单位", "Partners"),
    "ego_title": ("{agency} 的协作网络", "Collaboration network of {agency}"),
    "ego_capped": ("图中为协作最多的 {shown} 个伙伴（共 {total} 个，完整名单见左表）",
                   "Showing the {shown} partners with most shared tasks (of {total}; the table on the left lists all)"),
    "metrics_table": ("网络指标", "Network metrics"),
    "network_stats": ("整体网络", "Whole network"),
    "what_metrics_mean": ("指标说明", "What the metrics mean"),
    "community_label": ("群组 {n}", "Community {n}"),
    "sampled_note": (
        "单位较多，中介中心度按 {k} 个抽样节点估算。",
        "Large network: betweenness estimated from {k} sampled nodes.",
    ),
    # tasks
    "search": ("搜索任务内容或单位", "Search task text or agency"),
    "task_detail": ("查看任务详情", "Task details"),
    "col_leaders": ("牵头领导", "Responsible leader"),
    "tasks_shown": ("共 {n} 项任务", "{n} tasks"),
    # downloads
    "download_csv": ("下载 CSV", "Download CSV"),
    "meeting_pack": ("会议材料", "Meeting pack"),
    "pack_scope": ("范围", "Scope"),
    "pack_whole_plan": ("整个计划（按当前筛选）", "Whole plan (current filters)"),
    "download_pptx": ("下载幻灯片（PPTX）", "Download slides (PPTX)"),
    "download_html": ("下载报告（HTML，可离线打开）", "Download report (offline HTML)"),
    "download_xlsx": ("下载 Excel", "Download Excel"),
    "download_png_note": (
        "图表右上角的相机按钮可导出高清 PNG（适合幻灯片）。",
        "The camera button at a chart's top right exports a slide-resolution PNG.",
    ),
    "metric": ("指标", "Metric"),
    "value": ("数值", "Value"),
    # meeting pack (slides and HTML report)
    "report_pack_title": ("协调会材料", "Coordination meeting pack"),
    "report_agency_pack_title": ("{agency} · 协调会材料", "{agency} · coordination meeting pack"),
    "report_meeting_date": ("会议日期：{date}", "Meeting date: {date}"),
    "report_generated": ("生成于 {date}", "Generated on {date}"),
    "report_key_figures": ("关键数字", "Key figures"),
    "report_due_heading": ("截至会议日期（{date}）的期限情况", "Deadlines on the meeting date ({date})"),
    "report_due_soon_tile": ("{days} 天内到期", "Due within {days} days"),
    "report_tasks_led_tile": ("牵头任务", "Tasks led"),
    "report_tasks_supported_tile": ("配合任务", "Tasks supported"),
    "report_partners_tile": ("协作单位", "Partners"),
    "report_workload_top": ("任务最多的 {n} 个单位（共 {total} 个）", "The {n} agencies with most tasks (of {total})"),
    "report_workload_partners": ("{agency} 与协作单位的任务量", "Tasks of {agency} and its partners"),
    "report_network_note": (
        "节点大小 = 任务数，颜色 = 单位类型，连线粗细 = 共同任务数。",
        "Node size = tasks, colour = agency type, line width = shared tasks.",
    ),
    "report_network_collective_note": ("图中未显示“各省级单位”等统称。", "Collective designations are left out."),
    "report_ego_hidden": ("图中为共同任务最多的 {n} 个协作单位（共 {total} 个）。",
                          "Showing the {n} partners with most shared tasks (of {total})."),
    "report_network_hidden": (
        "为保持清晰，仅显示任务最多的 {n} 个单位（共 {total} 个）。",
        "For legibility only the {n} agencies with most tasks are shown (of {total}).",
    ),
    "report_due_list": ("已过期限和即将到期的任务", "Tasks past or near their deadline"),
    "report_progress_section": ("进展情况", "Progress"),
    "report_progress_none": (
        "尚无进展报送：各单位报送后，这里列出各任务的状态和三色预警。",
        "No progress reported yet: once agencies report, this lists each task's status and red/amber/green warning.",
    ),
    "report_progress_status_heading": ("各状态任务数（最近一次报送）", "Tasks by status (latest report)"),
    "report_progress_rag_heading": ("三色预警（{date}）", "Red / amber / green on {date}"),
    "report_progress_summary": (
        "{total} 项任务中 {reported} 项报送过进展；{asked} 项未完成且本期（{period}）尚未报送。",
        "{reported} of {total} tasks have reported progress; {asked} not done have no report this period ({period}).",
    ),
    "report_progress_red": ("红色预警任务（按牵头单位）", "Red tasks by lead agency"),
    "report_progress_no_red": ("没有红色预警任务。", "No task is red."),
    "report_progress_asked": ("本期（{period}）须报送进展的任务", "Tasks to report this period ({period})"),
    "report_progress_all_reported": (
        "本期（{period}）所有未完成任务均已报送进展。", "Every task not done has a report this period ({period}).",
    ),
    "report_progress_col": ("进展与预警原因", "Progress and why"),
    "report_progress_col_count": ("任务数", "Tasks"),
    "report_progress_col_tasks": ("任务序号", "Task numbers"),
    "report_overdue_days": ("已过期限 {n} 天", "{n} days past deadline"),
    "report_overdue_day": ("已过期限 {n} 天", "{n} day past deadline"),
    "report_due_in_days": ("{n} 天后到期", "due in {n} days"),
    "report_due_in_day": ("{n} 天后到期", "due in {n} day"),
    "report_due_today": ("会议当天到期", "due on the meeting day"),
    "report_lead_title": ("{agency} · 牵头 {n} 项任务", "{agency} · leads {n} tasks"),
    "report_lead_title_one": ("{agency} · 牵头 {n} 项任务", "{agency} · leads {n} task"),
    "report_lead_counts": (
        "牵头 {lead} 项 · 配合 {support} 项 · 协作单位 {partners} 个",
        "Leads {lead} · supports {support} · {partners} partners",
    ),
    "report_main_partners": ("主要协作单位", "Main partners"),
    "report_more_partners": ("另有 {n} 个协作单位", "{n} more partners"),
    "report_no_partners": ("没有协作单位", "No partners"),
    "report_tasks_led": ("{agency} 牵头的任务", "Tasks led by {agency}"),
    "report_tasks_supported": ("{agency} 配合的任务", "Tasks supported by {agency}"),
    "report_partners_title": ("{agency} 的协作单位", "Partners of {agency}"),
    "report_targets_title": ("{agency} 任务中的量化目标", "Quantitative targets in the tasks of {agency}"),
    "report_target": ("目标", "Target"),
    "report_appendix": ("附录：全部任务", "Appendix: all tasks"),
    "report_lead_section": ("各牵头单位的任务", "Tasks by lead agency"),
    "report_rows_capped": ("仅列出前 {n} 项（共 {total} 项），完整清单见 HTML 报告。",
                           "The first {n} of {total} rows; the HTML report lists all."),
    "report_lead_rows_capped": ("列出最紧迫的 {n} 项（已过期限、即将到期优先；共牵头 {total} 项），完整清单见 HTML 报告。",
                                "The {n} most pressing tasks (past or near the deadline first; {total} led); the HTML report lists all."),
    "report_leads_capped": ("本材料只为牵头任务最多的 {n} 个单位（共 {total} 个牵头单位）各设一页。",
                            "Slides for the {n} agencies leading most tasks only (of {total} lead agencies)."),
    "report_summary_note": ("本计划共 {n} 项任务，幻灯片为摘要版；全部任务见 HTML 报告或看板的表格导出。",
                            "This plan has {n} tasks: the slides summarise; the HTML report and the dashboard's table exports hold every task."),
    "report_timeline_large_note": ("任务较多（{n} 项），按季度显示期限分布；逐项时间线见看板“时间线”页。",
                                   "{n} tasks: deadlines are shown by quarter; the dashboard's Timeline page lists each task."),
    "report_page_suffix": ("（{i}/{n}）", " ({i}/{n})"),
    "report_truncated": ("……（全文见 HTML 报告）", "… (full text in the HTML report)"),
    "report_contents": ("目录", "Contents"),
    "report_html_note": (
        "离线报告：图表可缩放，悬停可查看详情；打印或另存为 PDF 时每一节另起一页。",
        "Offline report: charts zoom and show details on hover; printed or saved as PDF, each section starts a new page.",
    ),
    "report_unknown_agency": (
        "单位“{agency}”不在当前计划（或筛选结果）中",
        "agency '{agency}' is not in this plan (or the filtered view)",
    ),
    "report_no_tasks": (
        "当前计划（或筛选结果）中没有任务，无法生成材料",
        "the plan (or the filtered view) has no tasks: nothing to put in a meeting pack",
    ),
    "report_unsupported_format": (
        "不支持的输出格式“{suffix}”：请使用 .pptx 或 .html",
        "unsupported output format '{suffix}': use .pptx or .html",
    ),
    # upload limits and import problems (issue 8: bad files, many users)
    "upload_limits": (
        "单个文件不超过 {mb} MB、{tasks} 项任务；更大的文件会被拒绝（超过 {mb} MB 时，上传框会以英文提示“File must be … or smaller.”）。",
        "At most {mb} MB and {tasks} tasks per file; larger files are refused.",
    ),
    "upload_unexpected": (
        "读取文件时出现意外错误（{error}），文件未导入",
        "an unexpected error occurred while reading the file ({error}); it was not imported",
    ),
    "warnings_more": (
        "另有 {n} 条警告未逐条列出：全部警告见下表，可下载。",
        "{n} more warnings are not listed one by one: all warnings are in the table below, which you can download.",
    ),
    "col_finding_row": ("行", "Row"),
    "col_finding_field": ("字段", "Field"),
    "col_finding_message": ("说明", "Message"),
}


TEXT: dict[str, Bilingual] = {key: Bilingual(zh, en) for key, (zh, en) in _ENTRIES.items()}


def t(key: str, lang: str = DEFAULT_LANGUAGE, **values: object) -> str:
    """The text for `key` in `lang`, with {placeholders} filled in."""
    return TEXT[key](lang, **values)


#: The catalogue key of each vocabulary member is this prefix followed by the member's code.
ENUM_KEY_PREFIX: dict[type[StrEnum], str] = {
    Role: "role_",
    DeadlineKind: "deadline_kind_",
    DueStatus: "status_",
    AgencyType: "type_",
    ProgressStatus: "progress_",
    Rag: "rag_",
}


def enum_key(member: StrEnum) -> str:
    """The catalogue key of a vocabulary member (``Role.LEAD`` → ``role_lead``)."""
    return ENUM_KEY_PREFIX[type(member)] + member.value


def label(member: StrEnum, lang: str = DEFAULT_LANGUAGE) -> str:
    """A vocabulary member's label in ``lang``."""
    return t(enum_key(member), lang)


def type_label(agency_type: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """An agency type's label; a code outside the vocabulary is shown as written."""
    try:
        return label(AgencyType(agency_type), lang)
    except ValueError:
        return agency_type


def role_label(role: str, lang: str = DEFAULT_LANGUAGE) -> str:
    return label(Role(role), lang)
