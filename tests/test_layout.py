"""The folder list is the pipeline: one package per stage, and data flows one way (no import points back up)."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "assistant"
# each stage may import the ones before it, never one after
ORDER = ["settings", "corpus", "language", "index", "answer", "pipeline", "web", "__main__"]


def _stage(module: str) -> str:
    return module.split(".")[1] if module.count(".") else module


def test_every_import_points_down_the_pipeline():
    wrong = []
    for path in PACKAGE.rglob("*.py"):
        here = _stage(".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("assistant."):
                there = _stage(node.module)
                if ORDER.index(there) > ORDER.index(here):
                    wrong.append(f"{path.relative_to(PACKAGE)} imports {node.module}")
    assert not wrong, wrong


def test_each_stage_is_a_package_with_a_line_saying_what_it_holds():
    stages = ["answer", "corpus", "index", "language", "web"]
    assert sorted(p.parent.name for p in PACKAGE.glob("*/__init__.py")) == stages
    for name in ("corpus", "language", "index", "answer", "web"):
        assert ast.get_docstring(ast.parse((PACKAGE / name / "__init__.py").read_text(encoding="utf-8")))
    assert sorted(p.name for p in PACKAGE.glob("*.py")) == ["__init__.py", "__main__.py", "pipeline.py", "settings.py"]


def test_the_engine_names_no_notice():
    """A notice's words live in its domain pack or come from its text: no module names the default notice or the
    second one (their districts, 文号 prefixes, ids)."""
    named = {
        str(path.relative_to(PACKAGE)): word
        for path in PACKAGE.rglob("*.py")
        for word in ("嘉定", "嘉科", "jiading", "云溪", "云科", "yunxi")
        if word in path.read_text(encoding="utf-8").lower()
    }
    assert named == {}
