"""The eval runner's scoring, on hand-made outcomes (no model), and its command-line errors."""

import subprocess
import sys

from evals.dataset import Item
from evals.run import Outcome, confusion, gate, metrics

from .conftest import ROOT

FACT = Item("f", "fact", "高企目标？", ["二（三）"], [["1100"]], True)
REFUSE = Item("r", "refuse", "天气？", [], [], False)
PARTIAL = Item("p", "figure_not_stated", "科技小巨人奖励多少钱？", ["二（三）"], [], False, expect="partial")
GREETING = Item("g", "greeting", "你好", [], [], False, expect="greeting")


def _answer(text, answered=True, sections=(), quote="", outcome=None):
    citations = [{"section": s, "label": s, "quote": quote, "start": 0, "end": 1} for s in sections]
    answer = {"answer": text, "answered": answered, "citations": citations, "latency_ms": 1.0}
    return answer | ({"outcome": outcome} if outcome else {})


def test_a_correct_cited_answer_passes():
    outcome = Outcome(FACT, _answer("超过 1100 家", sections=["二（三）"], quote="超过 1100 家"), ["二（三）"])
    assert outcome.passed and outcome.reason == "" and outcome.rank == 1


def test_failures_carry_their_reason():
    wrong_section = Outcome(FACT, _answer("1100", sections=["三（二）"], quote="1100"), ["三（二）", "二（三）"])
    assert not wrong_section.passed and "expected one of" in wrong_section.reason and wrong_section.rank == 2
    invented = Outcome(FACT, _answer("1100 家，另有 3000 家", sections=["二（三）"], quote="1100"), ["二（三）"])
    assert invented.unfaithful_numbers == ["3000"] and "numbers not in the cited quotes" in invented.reason
    overanswered = Outcome(REFUSE, _answer("……"), ["文头"])
    assert not overanswered.passed and "does not answer" in overanswered.reason


def test_metrics_and_gate():
    outcomes = [
        Outcome(FACT, _answer("1100", sections=["二（三）"], quote="1100"), ["二（三）"]),
        Outcome(REFUSE, _answer("本文件未提及", answered=False), []),
        Outcome(REFUSE, _answer("……"), ["文头"]),
    ]
    figures = metrics(outcomes)
    assert figures["hit_at_1"] == 1.0 and figures["refusal_recall"] == 0.5 and figures["refusal_precision"] == 1.0
    assert figures["pass_rate"] == round(2 / 3, 4)
    assert gate(figures, {"refusal_recall": 1.0, "hit_at_1": 0.95}) == ["refusal_recall 0.5 < 1.0"]


def test_partial_and_greeting_items_need_that_outcome():
    partial = _answer("文件提到科技小巨人，但未给出奖励金额。", False, ["二（三）"], outcome="partial")
    assert Outcome(PARTIAL, partial, ["二（三）"]).passed
    elsewhere = _answer("文件提到…，但未给出…", False, ["三（二）"], outcome="partial")
    assert "partial answer cites" in Outcome(PARTIAL, elsewhere, []).reason
    refused = _answer("本文件未提及…", False, ["二（三）"], outcome="refused")
    assert "expected a partial answer" in Outcome(PARTIAL, refused, []).reason
    figure = _answer("新增科技小巨人 20 家次。", True, ["二（三）"], quote="20 家次")
    assert "does not answer" in Outcome(PARTIAL, figure, []).reason
    hello = _answer("你好！我可以回答…", False, outcome="greeting")
    assert Outcome(GREETING, hello, []).passed and not Outcome(REFUSE, hello | {"answered": True}, []).passed
    assert "greeting got a refused" in Outcome(GREETING, _answer("本文件未提及", False), []).reason


def test_refusal_figures_and_confusion_matrix():
    outcomes = [
        Outcome(PARTIAL, _answer("20 家次", sections=["二（三）"], quote="20 家次"), []),  # a figure given: worst
        Outcome(PARTIAL, _answer("未给出", False, ["二（三）"], outcome="partial"), []),
        Outcome(FACT, _answer("本文件未提及", False), []),  # a needless refusal
        Outcome(GREETING, _answer("你好", False, outcome="greeting"), []),
    ]
    figures = metrics(outcomes)
    assert figures["no_figure_when_not_stated"] == 0.5
    assert figures["refusal_recall"] == 0.5 and figures["refusal_precision"] == 0.5  # the greeting counts for neither
    table = confusion(outcomes)
    assert table["partial"] == {"full": 1, "partial": 1, "refused": 0, "greeting": 0}
    assert table["full"]["refused"] == 1 and table["greeting"]["greeting"] == 1 and "refuse" not in table
    assert gate({"refusal_precision": None}, {"refusal_precision": 0.95}) == ["refusal_precision None < 0.95"]


def test_runner_reports_a_bad_dataset_with_exit_2(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text("{oops\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "evals.run", "--dataset", str(bad)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    assert result.returncode == 2 and "bad.jsonl:1" in result.stderr and "Traceback" not in result.stderr
