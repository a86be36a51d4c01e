"""The corpus changes under a running server: detected, synced, swapped whole; answers never stop."""

import shutil
import threading

import httpx

from assistant.pipeline import Assistant, LiveAssistant
from assistant.web.loopback import LiveServer

from .conftest import ROOT

QUESTION = {"messages": [{"role": "user", "content": "高新技术企业的认定目标是多少？"}]}


def test_a_changed_corpus_is_picked_up_while_answers_keep_coming(settings, tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(ROOT / "corpus", corpus)
    own = settings.model_copy(update={"corpus_dir": corpus, "index_dir": tmp_path / "index"})
    server = LiveServer(Assistant.load(own), own, tmp_path / "f.db")
    answers: list[str] = []
    stop = threading.Event()

    def keep_asking() -> None:
        with httpx.Client(base_url=server.url, timeout=60) as client:
            while not stop.is_set():
                response = client.post("/v1/chat/completions", json=QUESTION)
                answers.append(response.json()["choices"][0]["message"]["content"] if response.is_success else "ERROR")

    asker = threading.Thread(target=keep_asking)
    asker.start()
    try:
        text = next(corpus.glob("*.txt"))
        text.write_text(text.read_text(encoding="utf-8").replace("超过 1100 家", "超过 1300 家"), encoding="utf-8")
        assert server.live.refresh()
        assert server.live.assistant.index_report.added == 2  # the changed sentence and its item, nothing else
        assert not server.live.refresh()  # nothing more to do
        after = httpx.post(f"{server.url}/v1/chat/completions", json=QUESTION, timeout=60).json()
        assert "1300" in after["choices"][0]["message"]["content"]
    finally:
        stop.set()
        asker.join(timeout=60)
        server.stop()
    assert answers and "ERROR" not in answers
    assert all(("1100" in a) != ("1300" in a) for a in answers)  # each answer from one version, never a mix


def test_a_broken_corpus_keeps_the_previous_version(settings, tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(ROOT / "corpus", corpus)
    own = settings.model_copy(update={"corpus_dir": corpus, "index_dir": tmp_path / "index"})
    live = LiveAssistant(Assistant.load(own))
    next(corpus.glob("*.meta.json")).write_text("{half a file", encoding="utf-8")
    assert not live.refresh()
    assert "1100" in live.assistant.ask("高新技术企业的认定目标是多少？").answer
