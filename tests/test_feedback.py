"""Feedback survives restarts; 👎 items export as eval candidates."""

import sqlite3

import pytest

from assistant.web.feedback import FeedbackStore
from evals.dataset import load

CITATION = {"section": "二（三）", "label": "二、（三）以服务加快创新主体培育", "quote": "…", "start": 1, "end": 2}


def test_ratings_survive_a_restart_in_wal_mode(tmp_path):
    path = tmp_path / "feedback.sqlite3"
    store = FeedbackStore(path)
    store.add(1, "高企目标？", "1100 家", [CITATION])
    store.add(-1, "那小巨人呢？", "20 家次", [CITATION], [("高企目标？", "1100 家")], "想看培育库")
    store.close()
    again = FeedbackStore(path)
    rows = again.all()
    assert [r["rating"] for r in rows] == [1, -1]
    assert rows[1]["history"] == [["高企目标？", "1100 家"]] and rows[1]["reason"] == "想看培育库"
    assert sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_thumbs_down_export_as_eval_lines(tmp_path):
    store = FeedbackStore(tmp_path / "f.sqlite3")
    store.add(1, "好", "好", [CITATION])
    store.add(-1, "高企目标？", "1100 家", [CITATION], reason="不够详细")
    store.add(-1, "双创券怎么申请？", "本文件未提及", [])
    import json

    lines = store.eval_candidates()
    path = tmp_path / "candidates.jsonl"
    path.write_text("\n".join(json.dumps(line, ensure_ascii=False) for line in lines), encoding="utf-8")
    items = load(path)  # the candidates are valid eval lines
    assert [(i.kind, i.gold_sections) for i in items] == [("fact", ["二（三）"]), ("refuse", [])]
    assert all(line["needs_review"] for line in lines)


def test_one_vote_per_answer_which_can_be_changed(tmp_path):
    store = FeedbackStore(tmp_path / "f.sqlite3")
    first = store.add(1, "高企目标？", "1100 家", [CITATION], answer_key="a1")
    again = store.add(-1, "高企目标？", "1100 家", [CITATION], reason="想看培育库", answer_key="a1")
    store.add(-1, "高企目标？", "1100 家", [CITATION], answer_key="a1")  # no new reason: the old one stays
    store.add(1, "那小巨人呢？", "20 家次", [CITATION], answer_key="a2")
    rows = store.all()
    assert first == again and [(r["answer_key"], r["rating"], r["reason"]) for r in rows] == [
        ("a1", -1, "想看培育库"),
        ("a2", 1, ""),
    ]


def test_a_store_from_before_answer_keys_is_migrated(tmp_path):
    path = tmp_path / "old.sqlite3"
    old = sqlite3.connect(path)
    old.execute(
        "CREATE TABLE feedback (id INTEGER PRIMARY KEY AUTOINCREMENT, created REAL NOT NULL, rating INTEGER NOT NULL,"
        " question TEXT NOT NULL, answer TEXT NOT NULL, citations TEXT NOT NULL, history TEXT NOT NULL,"
        " reason TEXT NOT NULL DEFAULT '')"
    )
    old.execute("INSERT INTO feedback VALUES (1, 0, 1, 'q', 'a', '[]', '[]', '')")
    old.commit()
    old.close()
    store = FeedbackStore(path)
    store.add(-1, "q2", "a2", [], answer_key="k")
    assert [(r["id"], r["answer_key"]) for r in store.all()] == [(1, None), (2, "k")]


def test_bad_rating_is_rejected(tmp_path):
    with pytest.raises(ValueError):
        FeedbackStore(tmp_path / "f.sqlite3").add(0, "q", "a", [])


def test_cli_exports_thumbs_down(tmp_path):
    from .conftest import run_cli

    store = FeedbackStore(tmp_path / "feedback.sqlite3")
    store.add(-1, "高企目标？", "1100 家", [CITATION], reason="太简略")
    store.close()
    out = tmp_path / "candidates.jsonl"
    result = run_cli("feedback", "export", "--out", str(out), DATA_DIR=str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert [i.question for i in load(out)] == ["高企目标？"]
    missing = run_cli("feedback", "export", DATA_DIR=str(tmp_path / "none"))
    assert missing.returncode == 2 and "no feedback store" in missing.stderr


WRITER = """
import sys
from pathlib import Path
from assistant.web.feedback import FeedbackStore
store = FeedbackStore(Path(sys.argv[1]))
for n in range(100000):
    row = store.add(-1 if n % 2 else 1, f"问题 {n}", "回答" * 50, [], reason=str(n))
    print(row, flush=True)
"""


def test_kill_9_during_writes_loses_nothing_acknowledged(tmp_path):
    import os
    import signal
    import subprocess
    import sys

    from .conftest import ROOT

    path = tmp_path / "feedback.sqlite3"
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(path)], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    acknowledged = [int(writer.stdout.readline()) for _ in range(300)]
    os.kill(writer.pid, signal.SIGKILL)
    writer.wait(timeout=10)
    stored = {row["id"] for row in FeedbackStore(path).all()}
    assert set(acknowledged) <= stored
