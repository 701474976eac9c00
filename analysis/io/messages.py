"""What the readers say to people: every import message and reading rule, in Chinese and English.

Messages with placeholders are formatted with :meth:`Bilingual.format` (the same values in
both languages) or :func:`per_language` (a value that is itself bilingual, such as a file
kind or a list of column names). The finding codes stay with the code that raises them.
"""

from __future__ import annotations

from typing import Final

from analysis.findings import PlanImportError, import_error
from analysis.vocab import Bilingual


def per_language(template: Bilingual, **values: Bilingual | object) -> Bilingual:
    """``template`` formatted per language: a Bilingual value gives its text in that language."""

    def pick(lang: str) -> dict[str, object]:
        return {
            key: (getattr(value, lang) if isinstance(value, Bilingual) else value) for key, value in values.items()
        }

    return Bilingual(template.zh.format(**pick("zh")), template.en.format(**pick("en")))


# ------------------------------------------------------------------------- files, bytes
FILE_NOT_FOUND: Final = Bilingual("文件不存在", "file not found")
IS_DIRECTORY: Final = Bilingual("这是一个文件夹，不是计划文件", "this is a folder, not a plan file")
NOT_A_REGULAR_FILE: Final = Bilingual(
    "这不是普通文件（而是设备、管道或套接字），不会读取：请指定保存在磁盘上的计划文件",
    "this is not a regular file (a device, pipe or socket) and is not read: name a plan file saved on disk",
)
CANNOT_OPEN: Final = Bilingual("无法打开文件（{reason}）", "cannot open the file ({reason})")
EMPTY: Final = Bilingual("文件为空", "the file is empty")
EMPTY_WHITESPACE: Final = Bilingual("文件为空（只有空白字符）", "the file is empty (white space only)")
UNSUPPORTED_SUFFIX: Final = Bilingual(
    "不支持的文件类型“{suffix}”（支持 .txt、.csv、.tsv、.xlsx、.docx）",
    "unsupported file type '{suffix}' (supported: .txt, .csv, .tsv, .xlsx, .docx)",
)
UNDECODABLE: Final = Bilingual(
    "无法识别文件编码（支持 UTF-8、UTF-16 和 GB18030/GBK），文件可能不是文本或表格文件",
    "cannot decode the file (UTF-8, UTF-16 and GB18030/GBK are supported); it may not be a text or table file",
)

# Files people upload by mistake, recognised by their first bytes.
OLD_OFFICE: Final = Bilingual(
    "这是旧版 Office 文件（.xls、.doc、.et、.wps）或加密的文件：请在 Excel/WPS/Word 中打开，取消密码后另存为 .xlsx 或 .docx 再上传",
    "this is an old Office file (.xls, .doc, .et, .wps) or an encrypted one: open it in Excel, WPS or Word, "
    "remove any password and save it as .xlsx or .docx",
)
PDF: Final = Bilingual(
    "这是 PDF 文件：请上传原始的 Excel/Word 表格，或把表格复制到 Excel 中另存为 .xlsx",
    "this is a PDF file: upload the original Excel or Word table, or copy the table into Excel and save it as .xlsx",
)
PNG: Final = Bilingual("这是 PNG 图片，不是表格文件", "this is a PNG image, not a table file")
JPEG: Final = Bilingual("这是 JPEG 图片，不是表格文件", "this is a JPEG image, not a table file")
GIF: Final = Bilingual("这是 GIF 图片，不是表格文件", "this is a GIF image, not a table file")
TIFF: Final = Bilingual("这是 TIFF 图片，不是表格文件", "this is a TIFF image, not a table file")
WEBP: Final = Bilingual("这是 WebP 图片，不是表格文件", "this is a WebP image, not a table file")
RAR: Final = Bilingual("这是 RAR 压缩包：请解压后上传其中的表格文件", "this is a RAR archive: unpack it and upload the table inside")
SEVEN_ZIP: Final = Bilingual("这是 7z 压缩包：请解压后上传其中的表格文件", "this is a 7z archive: unpack it and upload the table inside")
GZIP: Final = Bilingual("这是 gzip 压缩文件：请解压后上传其中的表格文件", "this is a gzip file: unpack it and upload the table inside")
# A zip that is neither a workbook nor a Word document: {kind} is one of the four below.
ZIP_NOT_A_TABLE: Final = Bilingual(
    "{kind}，不是 .xlsx 或 .docx 表格：请在 WPS/Excel/Word 中另存为 .xlsx 或 .docx（压缩包请先解压）再上传",
    "{kind}, not an .xlsx or .docx table: save it as .xlsx or .docx in WPS, Excel or Word "
    "(unpack an archive first) and upload that",
)
POWERPOINT: Final = Bilingual("这是 PowerPoint 演示文稿", "this is a PowerPoint presentation")
OFD: Final = Bilingual("这是 OFD 版式文件", "this is an OFD document")
OPENDOCUMENT: Final = Bilingual("这是 OpenDocument（.ods/.odt）文件", "this is an OpenDocument (.ods/.odt) file")
ZIP: Final = Bilingual("这是 ZIP 压缩包", "this is a ZIP archive")

# ------------------------------------------------------------------------------ limits
TOO_LARGE: Final = Bilingual(
    "文件大小 {size_mb:,.1f} MB，超过 {limit_mb:,.0f} MB 的上限：任务分工表通常不足 1 MB，请确认选对了文件，"
    "或删除其中的图片和无关工作表后再上传",
    "the file is {size_mb:,.1f} MB, beyond the {limit_mb:,.0f} MB limit: task tables are "
    "usually under 1 MB; check that this is the right file, or remove pictures and unrelated sheets",
)
TOO_LARGE_UNPACKED: Final = Bilingual(
    "文件解压后的内容约 {size_mb:,.0f} MB，超过 {limit_mb:,.0f} MB 的上限：请删除无关的工作表或内容，或拆分后分别导入",
    "the file unpacks to about {size_mb:,.0f} MB, beyond the {limit_mb:,.0f} MB limit: "
    "remove unrelated sheets or content, or split it",
)
TOO_MANY_ROWS: Final = Bilingual(
    "表格超过 {limit:,} 行，超出看板的处理上限（最多 {tasks:,} 项任务）：请拆分后分别导入",
    "the table has more than {limit:,} rows, beyond what the dashboard reads (at most {tasks:,} tasks): "
    "split it and import the parts",
)
TOO_MANY_TASKS: Final = Bilingual(
    "表格超过 {limit:,} 项任务，超出看板的处理上限：请拆分后分别导入",
    "the table holds more than {limit:,} tasks, beyond what the dashboard reads: split it",
)
TOO_MANY_CELLS: Final = Bilingual(
    "表格超过 {limit:,} 个单元格，超出看板的处理上限：请删除无关的行列或工作表，或拆分后分别导入",
    "the tables hold more than {limit:,} cells, beyond what the dashboard reads: "
    "remove unrelated rows, columns or sheets, or split the file",
)
MARKUP_TOO_LONG: Final = Bilingual(
    "文件的 {part} 部分含有超过 {limit_mb:,.0f} MB 的单个标记（注释或标签），不是正常的 Excel 文件：请在 Excel/WPS 中打开后另存为 .xlsx 再上传",
    "part {part} of the file holds one markup item (a comment or tag) over {limit_mb:,.0f} MB, which no normal "
    "Excel file has: open it in Excel or WPS, save it as .xlsx and upload that",
)
CELL_TOO_LONG: Final = Bilingual(
    "单元格长达 {length:,} 个字符，超过 {limit:,} 个字符的上限，文件可能不是任务分工表",
    "a cell holds {length:,} characters, beyond the {limit:,} limit; this is probably not a task table",
)
TOO_MUCH_TEXT: Final = Bilingual(
    "表格中的文字超过 {limit:,} 个字符，超出看板的处理上限：请删除无关的内容或工作表，或拆分后分别导入",
    "the tables hold more than {limit:,} characters of text, beyond what the dashboard reads: "
    "remove unrelated content or sheets, or split the file",
)
DOCUMENT_TOO_LONG: Final = Bilingual(
    "文件中没有任务分工表，而正文长达 {characters:,} 个字符，超过按正文读取任务的上限（{limit:,} 个字符）：请上传任务分工表",
    "the file holds no task table, and its {characters:,} characters of text are beyond what is read as a "
    "plan document ({limit:,}): upload the task table",
)

# ----------------------------------------------------------------------------- readers
CSV_CELL_TOO_LONG: Final = Bilingual(
    "单元格超过 {limit:,} 个字符（Excel 单元格最多 32,767 个字符），文件可能不是任务分工表",
    "a cell is longer than {limit:,} characters (Excel allows 32,767); this is probably not a task table",
)
CSV_UNREADABLE: Final = Bilingual("无法按 CSV 读取（{error}）", "cannot read the file as CSV ({error})")
# {name} is Excel or Word, {kind} xlsx or docx, {error} the exception's type.
OFFICE_UNREADABLE: Final = Bilingual(
    "无法读取 {name} 文件（{error}），文件可能已损坏或不是 .{kind} 格式：请在 {name}/WPS 中打开后另存为 .{kind} 再上传",
    "cannot read the {name} file ({error}); it may be damaged or not .{kind}: "
    "open it in {name} or WPS, save it as .{kind} and upload that",
)
WORD_TABLE_DAMAGED: Final = Bilingual(
    "第 {index} 个表格已损坏，无法读取（{error}），已跳过",
    "table {index} is damaged and cannot be read ({error}); it was skipped",
)

# What a workbook or document holds that is not read as printed: said in the import report.
HIDDEN_SHEET: Final = Bilingual(
    "工作表“{sheet}”是隐藏的，未读取（如需导入，请在 Excel/WPS 中取消隐藏）",
    "sheet '{sheet}' is hidden and was not read (unhide it in Excel or WPS to import it)",
)
HIDDEN_ROWS: Final = Bilingual(
    "工作表“{sheet}”中有 {count} 个隐藏行未读取（第 {rows} 行）：如需导入，请在 Excel/WPS 中取消隐藏",
    "{count} hidden row(s) of sheet '{sheet}' were not read (rows {rows}): unhide them in Excel or WPS to import them",
)
TRACKED_CHANGES: Final = Bilingual(
    "文档中有未处理的修订（插入或删除的文字）：按接受全部修订后的内容读取（保留插入的文字，删除的文字不读入）",
    "the document has tracked changes (inserted or deleted text): it was read as if all changes were "
    "accepted (inserted text kept, deleted text left out)",
)
SHEETS_JOINED: Final = Bilingual(
    "工作表 {sheets} 的表头相同，全部读取为一张表；每个工作表的任务以工作表名作为分组（行号接续编号）",
    "Sheets {sheets} have the same header: all were read as one table, each sheet's tasks grouped under the "
    "sheet's name (rows numbered on)",
)
SHEET_NOT_READ: Final = Bilingual(
    "工作表 {sheets} 也有任务表，但表头与“{first}”不同，未读取；如需导入，请将其另存为单独的文件",
    "Sheet(s) {sheets} also hold a task table, with another header than '{first}': not read; save them as a "
    "file of their own to import them",
)
TABLES_JOINED: Final = Bilingual(
    "表格 {first} 之后的 {count} 个表格与它表头相同（或没有表头、列数相同），视为同一张表的续表，合并读取（续表行号接续编号）",
    "The {count} table(s) after table {first} repeat its header (or have none and as many columns): read as "
    "its continuation, one table (their rows numbered on from it)",
)
NESTED_TABLES: Final = Bilingual(
    "文档中有 {count} 个表格位于其他表格的单元格或文本框内，已作为单独的表格读取",
    "{count} table(s) of the document sit inside another table's cell or in a text box; "
    "they were read as tables of their own",
)
BIDI_REMOVED: Final = Bilingual(
    "{where}含有改变文字显示方向的不可见控制字符（如 U+202E），已删除：请核对相关名称",
    "{where} held invisible characters that change the direction of text (such as U+202E); "
    "they were removed: check the names concerned",
)
BIDI_IN_CELLS: Final = Bilingual("表格或正文", "the table or text")
BIDI_IN_FILE_NAME: Final = Bilingual("文件名", "the file name")


def bidi_removed(where: Bilingual) -> Bilingual:
    return per_language(BIDI_REMOVED, where=where)

# ------------------------------------------------------------------------------ tables
# {columns}: the missing columns' names, per language (see per_language).
MISSING_COLUMN: Final = Bilingual(
    "缺少必需的列：{columns}（表头行中未找到）。可在导入的“列对应”步骤中为各列指定含义（命令行：--columns \"列名=text,列名=responsible\"）",
    "required column missing: {columns} (not found in the header row). Say what each column holds in the "
    "import's column mapping step (command line: --columns \"header=text,header=responsible\")",
)
HEADER_WITHOUT_TASKS: Final = Bilingual("找到了表头，但表中没有任务", "a header was found but the table holds no tasks")
LONG_CELL: Final = Bilingual(
    "该行有一个长达 {length:,} 个字符的单元格（已完整保留），请检查是否误把多行内容并入了一个单元格",
    "the row has a cell of {length:,} characters (kept in full); check that several rows "
    "were not pasted into one cell",
)
SHORT_ROW: Final = Bilingual(
    "该行只有 {cells} 个单元格，少于表头的 {width} 列",
    "the row has {cells} cells, fewer than the header's {width} columns",
)
NO_TABLE: Final = Bilingual(
    "未找到任务分工表，也未找到写明责任单位的任务：需要包含“重点工作任务”和“牵头单位”（或“责任单位”）列的表格，"
    "或逐条列出任务并在每条后写明责任单位的文件（如“1. ……（牵头单位：……；配合单位：……）”）。"
    "表头只在每个工作表或表格的前 50 行中查找；CSV 的分隔符可以是逗号、制表符或分号",
    "no task table found, and no tasks with their units written inline: either a table with a task column "
    "and a lead (or responsible) units column, or a document listing numbered tasks each followed by its "
    "units (e.g. '1. … (牵头单位：…；配合单位：…)') is required. The header is looked for in the first 50 rows "
    "of each sheet or table; a CSV may be separated by commas, tabs or semicolons",
)
UNKNOWN_MAPPED_COLUMN: Final = Bilingual(
    "列对应中指定的列“{header}”不在表头中（表头：{headers}）",
    "the column mapping names '{header}', which is not in the header row (headers: {headers})",
)
RULE_CONTINUATION_ROWS: Final = Bilingual(
    "序号为空的行接续上一项任务（合并单元格）：沿用其序号、单位和领导，作为单独任务编为“5-2”等。",
    "A row with an empty number continues the numbered task above (merged cells): it takes its number, "
    "units and leaders and is kept as a task of its own, numbered like 5-2.",
)
RULE_SINGLE_RESPONSIBLE_COLUMN: Final = Bilingual(
    "表格只有“责任单位”一列：第一个单位视为牵头单位，其余为配合单位。",
    "The table has a single 'responsible units' column: the first unit leads, the others support.",
)
RULE_NO_NUMBER_COLUMN: Final = Bilingual(
    "表格没有“序号”列：任务按行顺序编号。",
    "The table has no number column: tasks are numbered in row order.",
)

# --------------------------------------------------------------------------- documents
RULE_DOCUMENT: Final = Bilingual(
    "文件中没有任务分工表：按正文逐条读取任务（编号条目），责任单位取自各条后的括号或“牵头单位：”等标注。",
    "The file holds no task table: tasks are read from the numbered items of the document, and their "
    "units from the parenthesis or the '牵头单位：' labels after each item.",
)
NOT_A_TASK: Final = Bilingual(
    "“{heading}”下没有具体条目，也未写明责任单位，视为标题而非任务",
    "'{heading}' has no sub-items and no responsible units: read as a heading, not a task",
)
NO_RESPONSIBILITY: Final = Bilingual(
    "该条任务未写明牵头或责任单位",
    "no lead or responsible unit is written for this task",
)
IGNORED_TEXT: Final = Bilingual(
    "有 {count} 行正文不属于任何任务，未读入（首行：“{first}”）",
    "{count} line(s) of prose belong to no task and were not read (first: '{first}')",
)
RULE_BLANKET_NOTES: Final = Bilingual(
    "统一说明（如“以下任务均需各区市政府落实，不再一一列出”）作为计划的备注保留，不计为单位。",
    "Blanket notes (e.g. 'all tasks below are carried out by every district government') are kept "
    "as plan notes, not counted as units.",
)
RULE_IDS_AS_WRITTEN: Final = Bilingual(
    "任务编号采用原文中末级条目的序号（全文唯一）。",
    "Task ids are the item numbers as written (unique in the document).",
)
RULE_IDS_DOTTED: Final = Bilingual(
    "末级条目的序号在全文中有重复，任务编号采用上级序号加本级序号的层级路径（如“一.3”）。",
    "Item numbers repeat across the document, so task ids are dotted paths of the "
    "numbers above them (e.g. '一.3').",
)
RULE_IDS_IN_ORDER: Final = Bilingual(
    "条目序号即使连同上级序号也有重复，任务按文中顺序编号为 1、2、3……",
    "Item numbers repeat even with their headings' numbers, so tasks are numbered 1, 2, 3 … in document order.",
)
# Reading rules of the document reader, reported when used (in this order).
DOCUMENT_RULES: Final[dict[str, Bilingual]] = {
    "labelled": Bilingual(
        "责任单位按标注读取：“牵头单位”为牵头，“配合单位”“协同单位”等为配合。",
        "Units are read by their labels: '牵头单位' leads, '配合单位', '协同单位' and the like support.",
    ),
    "lead_label_with_responsible": Bilingual(
        "同时写有“牵头单位”和“责任单位”时，“责任单位”视为配合单位。",
        "Where both '牵头单位' and '责任单位' are written, the '责任单位' support.",
    ),
    "first_leads": Bilingual(
        "只列出一组单位（“责任单位：”或括号内的单位列表）时，第一个单位视为牵头单位，其余为配合单位。",
        "Where only one list of units is given ('责任单位：' or a bare list in brackets), the first unit "
        "leads and the others support.",
    ),
    "marked_lead": Bilingual(
        "单位列表中注明“（牵头）”的单位为牵头单位，其余为配合单位。",
        "Units marked '（牵头）' in a list lead; the others support.",
    ),
    "bare": Bilingual(
        "任务末尾括号内的单位列表（各项均为单位名称）读作责任单位。",
        "A bracketed list at the end of a task whose parts are all agency names is read as its units.",
    ),
    "sentence": Bilingual(
        "“A牵头，B配合”式的写法：A为牵头单位，B为配合单位。",
        "Written as 'A牵头，B配合': A leads, B supports.",
    ),
    "each_leads": Bilingual(
        "“A、B分别牵头”：所列单位均为牵头单位。",
        "Written as 'A、B分别牵头': every unit listed leads.",
    ),
    "inherited": Bilingual(
        "条目本身未写责任单位或领导时，沿用其所属上级标题下写明的单位或领导。",
        "Items without units or leaders of their own take those written on their heading.",
    ),
    "leaders": Bilingual(
        "“牵头市领导”“责任领导”等写明的是负责的领导个人，作为任务的负责领导保留，不计为单位。",
        "'牵头市领导', '责任领导' and the like name responsible leaders (people): kept on the task as "
        "leaders, never counted as agencies.",
    ),
}


def refusal(
    code: str, message: Bilingual, *, file: str = "", row: int | None = None, field: str = ""
) -> PlanImportError:
    """The import error ``code`` with ``message``, naming where it was found."""
    return import_error(code, message.zh, message.en, file=file, row=row, field=field)


def office_unreadable(kind: str, exc: BaseException, file: str) -> PlanImportError:
    """The error for an Excel (``kind`` "xlsx") or Word ("docx") file that cannot be opened."""
    name = "Excel" if kind == "xlsx" else "Word"
    return refusal("unreadable", OFFICE_UNREADABLE.format(name=name, kind=kind, error=type(exc).__name__), file=file)
