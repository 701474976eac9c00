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
    # workspace: plans, versions, progress (issue 15)
    "page_progress": ("进展", "Progress"),
    "ws_unavailable": (
        "无法连接工作区数据库（{reason}）：以只读方式显示内置浙江计划，上传的文件不会保存，进展报送不可用。",
        "The workspace database cannot be reached ({reason}): the bundled Zhejiang plan is shown read-only, "
        "uploads are not saved and progress cannot be reported.",
    ),
    "back_to_workspace": ("返回工作区的方案", "Back to the workspace's plans"),
    "ws_plan": ("方案", "Plan"),
    "ws_plan_option": ("{title} · 第 {version} 版 · {tasks} 项任务", "{title} · version {version} · {tasks} tasks"),
    "ws_empty": ("工作区中还没有方案：请上传任务分工表。", "The workspace has no plan yet: upload a task table."),
    "ws_actor": ("您的姓名", "Your name"),
    "ws_actor_help": ("记录在每次保存的报送和方案版本中。", "Recorded with every report and plan version you save."),
    "ws_upload_as": ("上传为", "Upload as"),
    "ws_upload_as_new": ("新方案", "A new plan"),
    "ws_upload_as_version": ("当前方案的新版本", "A new version of this plan"),
    "ws_added": ("已保存到工作区：{title}（{tasks} 项任务）", "Saved to the workspace: {title} ({tasks} tasks)"),
    "ws_version_preview": (
        "{file} 作为《{title}》第 {version} 版：保存前请核对变化",
        "{file} as version {version} of {title}: check the changes before saving",
    ),
    "ws_diff_counts": (
        "新增 {added} 项，删除 {removed} 项，内容改写 {reworded} 项，牵头单位变化 {lead} 项，配合单位变化 {support} 项，"
        "期限变化 {deadline} 项；{carried} 项任务沿用已报送的进展。",
        "{added} added, {removed} removed, {reworded} reworded, lead units changed on {lead}, support units on "
        "{support}, deadlines on {deadline}; {carried} tasks keep their reported progress.",
    ),
    "ws_diff_none": ("任务、单位和期限均无变化。", "No task, unit or deadline changed."),
    "ws_version_confirm": ("确认保存新版本", "Save the new version"),
    "ws_version_cancel": ("放弃", "Discard"),
    "ws_version_saved": ("已保存《{title}》第 {version} 版", "Saved version {version} of {title}"),
    "ws_remove": ("删除方案", "Remove the plan"),
    "ws_remove_button": ("删除当前方案…", "Remove this plan …"),
    "ws_remove_confirm_text": (
        "确定删除《{title}》及其全部版本和进展报送？此操作不可撤销。",
        "Remove {title} with all its versions and progress reports? This cannot be undone.",
    ),
    "ws_remove_confirm": ("确认删除", "Remove"),
    "ws_remove_cancel": ("取消", "Cancel"),
    "diff_added": ("新增任务", "Task added"),
    "diff_removed": ("删除任务", "Task removed"),
    "diff_reworded": ("内容改写（相似度 {similarity}）", "Reworded ({similarity} similar)"),
    "diff_lead": ("牵头单位变化", "Lead units changed"),
    "diff_support": ("配合单位变化", "Support units changed"),
    "diff_deadline": ("期限变化", "Deadline changed"),
    "diff_renumbered": ("序号变化（原第 {old} 项）", "Renumbered (was {old})"),
    "col_change": ("变化", "Change"),
    "col_before": ("原内容", "Before"),
    "col_after": ("新内容", "After"),
    "progress_history": ("进展历史", "Progress history"),
    "no_reports_yet": ("尚无进展报送。", "No progress reported yet."),
    "progress_needs_workspace": (
        "进展报送需要工作区数据库：当前显示的方案不在工作区中。",
        "Progress reporting needs the workspace database: the plan on screen is not in the workspace.",
    ),
    "pr_tab_overview": ("三色预警", "Red / amber / green"),
    "pr_tab_report": ("报送进展", "Report progress"),
    "pr_tab_forms": ("填报表", "Agency forms"),
    "pr_reference": (
        "预警以会议日期 {date} 为参照（侧边栏可改）；此后日期的报送不计入。",
        "Colours as of the meeting date {date} (change it in the sidebar); reports dated later are not counted.",
    ),
    "pr_reported_tile": ("已报送进展的任务", "Tasks with a report"),
    "rag_by_lead": ("各牵头单位的任务预警", "Warnings per lead agency"),
    "rag_by_theme": ("各主题的任务预警", "Warnings per theme"),
    "pr_overdue": ("已过期限未完成", "Past the deadline and not done"),
    "pr_not_reported": ("本期未报送", "Not reported this period"),
    "pr_none": ("没有。", "None."),
    "reports_by_period": ("各报送期的报送数（按状态）", "Reports per reporting period, by status"),
    "period_axis": ("报送期", "Reporting period"),
    "reports_axis": ("报送数", "Reports"),
    "pr_scorecard": ("各牵头单位记分卡", "Scorecard per lead agency"),
    "pr_scorecard_note": (
        "按期完成：最新报送为已完成，且报送日期不晚于期限。已到期：期限不晚于参照日期。"
        "本期已报送：参照日期所在报送期内有报送，或已完成。报送及时率 = 本期已报送 ÷ 牵头任务数。",
        "Done on time: the latest report says done and is dated on or before the deadline. Due: the deadline is on "
        "or before the reference date. Reported: a report in the reference date's period, or done. "
        "Report rate = reported ÷ tasks led.",
    ),
    "score_done": ("已完成", "Done"),
    "score_on_time": ("按期完成", "Done on time"),
    "score_due": ("已到期", "Due"),
    "score_reported": ("本期已报送", "Reported"),
    "score_report_rate": ("报送及时率", "Report rate"),
    "col_days_overdue": ("逾期天数", "Days overdue"),
    "col_progress": ("进展状态", "Progress"),
    "col_percent": ("完成百分比", "Percent done"),
    "col_last_report": ("最近报送日期", "Last report"),
    "col_report_no": ("报送编号", "Report no."),
    "col_as_of": ("报送日期", "As of"),
    "col_note": ("进展说明", "Note"),
    "col_evidence": ("佐证材料", "Evidence"),
    "col_report_agency": ("报送单位", "Reporting agency"),
    "col_reported_by": ("报送人", "Reported by"),
    "col_reported_at": ("保存时间（UTC）", "Saved at (UTC)"),
    "col_version": ("方案版本", "Plan version"),
    "col_summary": ("变化内容", "What changes"),
    "col_file": ("文件", "File"),
    "pr_task": ("任务", "Task"),
    "pr_current": (
        "当前进展：第 {no} 号报送 · {status}{percent} · {by} 于 {at} 保存（报送日期 {as_of}）",
        "Current progress: report {no} · {status}{percent} · saved by {by} at {at} (as of {as_of})",
    ),
    "pr_save": ("保存进展", "Save progress"),
    "pr_actor_missing": ("请填写您的姓名后再保存。", "Enter your name before saving."),
    "pr_conflict": (
        "未保存：您填写期间，他人已更新了该任务的进展（见下）。您的内容未覆盖任何报送，请核对后重新保存。",
        "Not saved: somebody else updated this task's progress while you were filling in (below). Nothing was "
        "overwritten; review it and save again.",
    ),
    "pr_saved": ("已保存第 {no} 号报送（任务 {task}）", "Saved report {no} (task {task})"),
    "forms_download": ("下载各单位填报表", "Download each agency's form"),
    "forms_download_note": (
        "每个单位一张 Excel 表：其牵头和配合的任务及最近一次进展，填写后发回。",
        "One Excel form per agency: the tasks it leads and supports with their latest progress, to fill in and "
        "send back.",
    ),
    "forms_upload": ("导入填好的填报表", "Import filled forms"),
    "forms_upload_label": ("上传一个或多个填报表（.xlsx）", "Upload one or more filled forms (.xlsx)"),
    "forms_errors": ("{n} 处错误：修正后重新上传，之前不会保存任何内容。",
                     "{n} problems: fix them and upload again; nothing is saved until then."),
    "forms_skipped": ("{n} 行未填写，已跳过。", "{n} rows were left empty and skipped."),
    "forms_nothing": ("表中没有可保存的进展。", "The forms hold no progress to save."),
    "forms_preview": ("保存后将记录以下 {n} 条报送：", "Saving records these {n} reports:"),
    "forms_fix_first": ("有错误时不能保存。", "Nothing can be saved while there are problems."),
    "forms_confirm": ("确认保存 {n} 条报送", "Save {n} reports"),
    "forms_saved": ("已保存 {n} 条报送。", "Saved {n} reports."),
    "forms_conflict": (
        "未保存：任务 {task} 的进展在此期间已被他人更新。已按最新进展重新核对，请再次确认。",
        "Not saved: the progress of task {task} changed meanwhile. The preview now compares with the latest "
        "progress; confirm again.",
    ),
    "tl_color": ("条形颜色", "Bar colour"),
    "tl_color_due": ("按期限状态", "By deadline status"),
    "tl_color_progress": ("按进展状态", "By progress status"),
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
