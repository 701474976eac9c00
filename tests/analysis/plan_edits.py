"""Edit the bundled plan's published tab-block text (tasks.txt) to make later versions of it.

Blocks are separated by a blank line; a task block is four tab-indented lines: number, text,
lead units, support units. Each edit says exactly what changes, so tests know what a diff must find.
"""

from __future__ import annotations

from pathlib import Path

SEED = Path(__file__).resolve().parents[2] / "data" / "plans" / "zhejiang_5g_2020_2022" / "tasks.txt"


def _split(text: str) -> list[str]:
    return text.split("\n\n")


def task_cells(text: str) -> dict[str, list[str]]:
    """number → [number, text, lead, support] as written."""
    cells: dict[str, list[str]] = {}
    for block in _split(text):
        lines = [line[1:] for line in block.split("\n") if line.startswith("\t")]
        if len(lines) == 4 and lines[0].strip().isdigit():
            cells[lines[0].strip()] = lines
    return cells


def edit(text: str, *, replace: dict[str, dict[int, str]] | None = None, drop: tuple[str, ...] = (),
         append: tuple[tuple[str, str, str, str], ...] = ()) -> str:
    """``replace``: {number: {cell index: new cell}}; ``drop``: numbers to delete; ``append``: new rows."""
    replace = replace or {}
    blocks = []
    for block in _split(text):
        lines = [line[1:] for line in block.split("\n") if line.startswith("\t")]
        number = lines[0].strip() if len(lines) == 4 and lines[0].strip().isdigit() else None
        if number in drop:
            continue
        if number in replace:
            for index, cell in replace[number].items():
                lines[index] = cell
            block = "\n".join("\t" + line for line in lines)
        blocks.append(block)
    tail = blocks.pop() if blocks and not blocks[-1].strip() else None
    for row in append:
        blocks.append("\n".join("\t" + cell for cell in row))
    if tail is not None:
        blocks.append(tail)
    return "\n\n".join(blocks)


def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


NEW_TASK_7 = "建立全省5G网络安全保障体系，定期开展5G网络安全风险评估和应急演练。"
NEW_TASK_36 = "2021年底前，编制全省5G应用场景目录，每年发布一批5G应用示范项目。"


def version_two(text: str) -> str:
    """The seed with known changes: 3 reworded with a later deadline, 4's lead and 5's support units
    changed, 7 replaced by another task, 35 dropped, 36 appended."""
    cells = task_cells(text)
    assert "2020年8月底前" in cells["3"][1] and cells["4"][2] == "省建设厅" and "华数集团" in cells["5"][3]
    return edit(
        text,
        replace={
            "3": {1: cells["3"][1].replace("2020年8月底前", "2020年10月底前")},
            "4": {2: "省发展改革委"},
            "5": {3: cells["5"][3].replace("、华数集团", "")},
            "7": {1: NEW_TASK_7},
        },
        drop=("35",),
        append=(("36", NEW_TASK_36, "省经信厅", "省发展改革委"),),
    )
