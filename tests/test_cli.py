"""The CLI contract, run as a user runs it: a real subprocess."""

import json
import os
import subprocess
import sys

import pytest

from .conftest import ROOT, run_cli


@pytest.fixture(scope="module")
def batch(tmp_path_factory, settings, assistant):
    lines = [
        "高新技术企业的认定目标是多少？",
        "",
        "   ",
        "问" * 20000,
        "\x01\x02\x03\x04\x05",
        "😀🎉",
        "What is the biomedicine output target?",
        "<b>科技小巨人</b>目标？",
    ]
    path = tmp_path_factory.mktemp("cli") / "questions.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run_cli("ask", "--json", "--questions", str(path), settings=settings)
    return lines, result


def test_questions_file_gives_one_json_object_per_line_in_order(batch):
    lines, result = batch
    assert result.returncode == 0, result.stderr
    objects = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(objects) == len(lines)
    assert objects[0]["question"] == lines[0] and "1100" in objects[0]["answer"]
    assert set(objects[0]) >= {"question", "answer", "answered", "citations", "latency_ms"}
    citation = objects[0]["citations"][0]
    assert citation == {**citation, "section": "二（三）", "label": "二、（三）以服务加快创新主体培育"}
    assert isinstance(citation["start"], int) and citation["quote"]
    assert "Traceback" not in result.stderr


def test_bad_lines_get_clear_messages_not_crashes(batch):
    _, result = batch
    objects = [json.loads(line) for line in result.stdout.splitlines()]
    assert objects[1]["error"] and "请输入" in objects[1]["answer"]
    assert "请输入" in objects[2]["answer"]
    assert "过长" in objects[3]["answer"] and len(objects[3]["question"]) <= 200
    assert "无法识别" in objects[4]["answer"]
    assert objects[5]["answered"] is False
    assert objects[6]["answered"] and "450" in objects[6]["answer"]
    assert objects[7]["answered"] and "20 家次" in objects[7]["answer"]


def test_single_question_prints_a_readable_cited_answer(settings, assistant):
    result = run_cli("ask", "中小科技企业入库数量目标是多少？", settings=settings)
    assert result.returncode == 0, result.stderr
    assert "2100" in result.stdout and "〔二、（三）以服务加快创新主体培育〕" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["ask", ""], "请输入"),
        (["ask", "   "], "请输入"),
        (["ask"], "give a question"),
        (["ask", "问" * 20000], "过长"),
        (["ask", "--questions", "/nonexistent/q.txt", "--json"], "cannot read"),
        (["ask", "--history", "not json", "问题"], "--history"),
        (["ask", "--history", '[["只有问题"]]', "问题"], "pair of strings"),
        (["ask", "--history", json.dumps([["问", "答"]] * 51), "问题"], "at most 50"),
        (["ask", "--history", "[" * 20000 + "]" * 20000, "问题"], "--history"),
    ],
)
def test_usage_errors_exit_2_with_one_line_on_stderr(args, message):
    result = run_cli(*args)
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr
    assert result.stdout == ""


def test_a_questions_file_with_too_many_lines_is_refused_before_loading(tmp_path):
    path = tmp_path / "many.txt"
    path.write_text("高企目标？\n" * 100_001, encoding="utf-8")
    result = run_cli("ask", "--json", "--questions", str(path))
    assert result.returncode == 2 and "at most 100000 questions" in result.stderr and result.stdout == ""


def test_an_unloadable_model_is_a_clear_error(tmp_path):
    env_model = {"EMBEDDING_MODEL": str(tmp_path / "missing"), "INDEX_DIR": str(tmp_path / "index")}
    result = subprocess.run(
        [sys.executable, "-m", "assistant", "ask", "高企目标？"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, **env_model},
        timeout=300,
        check=False,
    )
    assert result.returncode == 2
    assert "cannot load embedding model" in result.stderr and "Traceback" not in result.stderr


def test_targets_lists_every_figure_and_writes_csv_for_a_spreadsheet():
    listed = run_cli("targets")
    row = "〔二、（三）以服务加快创新主体培育〕新增市、区级科技小巨人（培育）企业 20 家次。"
    assert listed.returncode == 0 and row in listed.stdout
    assert "280 亿元" in listed.stdout and "第 26 届" not in listed.stdout
    table = run_cli("targets", "--csv")
    assert table.returncode == 0 and table.stdout.startswith("\ufeff文件,条目,指标原文,数值")
    assert len(table.stdout.strip().splitlines()) == len(listed.stdout.strip().splitlines()) + 1
    unknown = run_cli("targets", "--doc", "no-such-notice")
    assert unknown.returncode == 2 and "Traceback" not in unknown.stderr and "no-such-notice" in unknown.stderr
