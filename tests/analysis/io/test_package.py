"""The shape of analysis.io: each module imports only modules below it, so there is no cycle,
and document reading depends on the low-level readers, never the reverse."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import ROOT

PACKAGE = ROOT / "analysis" / "io"
# Lowest first: a module may import only modules listed before it.
LAYERS = ["raw", "messages", "limits", "sniff", "text", "xlsx", "docx", "formats", "headers", "lines", "table", "document",
          "dispatch", "__init__"]


def io_imports(path: Path) -> set[str]:
    """The analysis.io modules a module imports (at any depth in its code)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module == "analysis.io":
                found |= {alias.name for alias in node.names}
            elif node.module.startswith("analysis.io."):
                found.add(node.module.removeprefix("analysis.io."))
        elif isinstance(node, ast.Import):
            found |= {a.name.removeprefix("analysis.io.") for a in node.names if a.name.startswith("analysis.io.")}
    return found


def test_every_module_is_in_a_layer():
    assert sorted(p.stem for p in PACKAGE.glob("*.py")) == sorted(LAYERS)


def test_modules_import_only_lower_layers():
    for module in LAYERS:
        below = set(LAYERS[: LAYERS.index(module)])
        imported = io_imports(PACKAGE / f"{module}.py")
        assert imported <= below, (module, imported - below)


def test_the_document_reader_needs_no_file_reader_and_the_old_modules_are_gone():
    assert io_imports(PACKAGE / "document.py") <= {"raw", "messages", "headers"}
    assert not (ROOT / "analysis" / "loaders.py").exists() and not (ROOT / "analysis" / "documents.py").exists()


def test_only_dispatch_knows_every_reader():
    readers = {"text", "xlsx", "docx", "document", "table"}
    users = {module for module in LAYERS[:-1] if readers & io_imports(PACKAGE / f"{module}.py") - {module}}
    assert users == {"dispatch"}
