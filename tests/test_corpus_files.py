"""Broken, empty and half-written corpus files: skipped with one log line, never a traceback or a stopped start;
a change is taken only once the files stand still (SECURITY.md)."""

from __future__ import annotations

import logging
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from assistant.corpus import files
from assistant.pipeline import LiveAssistant

from .conftest import LIBRARY


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    shutil.copy(LIBRARY / "kejizhou-tongzhi.txt", folder)
    return folder


def test_broken_files_are_skipped_with_one_log_line_each(corpus, caplog):
    (corpus / "latin1.txt").write_bytes("第一条 资助".encode("gbk"))
    (corpus / "empty.txt").write_text("")
    (corpus / "blank.md").write_text("  \n\n")
    (corpus / "garbage.pdf").write_bytes(b"%PDF-1.4 not really")
    (corpus / "garbage.docx").write_bytes(b"PK\x03\x04 not a zip")
    with caplog.at_level(logging.WARNING, logger="assistant.corpus.files"):
        loaded = files.load(corpus)
        files.load(corpus)  # a second poll: nothing logged again
    assert list(loaded.documents) == ["kejizhou-tongzhi"]
    skipped = [r.getMessage() for r in caplog.records if "skipped" in r.getMessage()]
    assert sorted(m.split(" ")[0] for m in skipped) == sorted(
        ["latin1.txt", "empty.txt", "blank.md", "garbage.pdf", "garbage.docx"]
    )
    assert any("not UTF-8" in m for m in skipped)


def test_a_file_changed_again_is_reported_again(corpus, caplog):
    broken = corpus / "broken.txt"
    broken.write_bytes(b"\xff\xfe\xfa")
    with caplog.at_level(logging.WARNING, logger="assistant.corpus.files"):
        files.load(corpus)
        broken.write_bytes(b"\xff\xfe\xfa\xfb")
        files.load(corpus)
    assert sum("broken.txt skipped" in r.getMessage() for r in caplog.records) == 2


def test_a_folder_with_nothing_readable_is_one_clear_error(tmp_path):
    (tmp_path / "only.txt").write_bytes(b"\xff\xfe")
    with pytest.raises(ValueError, match="no readable documents"):
        files.load(tmp_path)
    a_file = tmp_path / "only.txt"
    with pytest.raises(NotADirectoryError, match="is a file"):
        files.load(a_file)


@dataclass
class _Settings:
    corpus_dir: Path


class _Assistant:
    """Stands in for the real one: counts rebuilds, fails while told to."""

    def __init__(self, corpus: Path) -> None:
        self.settings = _Settings(corpus)
        self.rebuilds = 0
        self.broken = False
        self.index_report = self  # says what a rebuild did, as IndexReport does

    def summary(self) -> str:
        return f"rebuild {self.rebuilds}"

    def refreshed(self) -> _Assistant | None:
        if self.broken:
            raise ValueError("half a file")
        self.rebuilds += 1
        return self


def test_a_change_is_taken_only_once_the_files_stand_still(corpus):
    assistant = _Assistant(corpus)
    live = LiveAssistant(assistant)  # type: ignore[arg-type]
    assert not live.poll() and assistant.rebuilds == 0  # nothing changed: not even read
    text = corpus / "kejizhou-tongzhi.txt"
    text.write_text(text.read_text(encoding="utf-8")[:200], encoding="utf-8")  # being written …
    assert not live.poll()  # … changed since the last poll: wait
    text.write_text(text.read_text(encoding="utf-8") + "（续）", encoding="utf-8")  # still being written
    assert not live.poll()
    assert live.poll() and assistant.rebuilds == 1  # stood still for a poll: taken
    assert not live.poll() and assistant.rebuilds == 1  # and only once


def test_a_corpus_that_fails_to_load_is_tried_and_logged_once(corpus, caplog):
    assistant = _Assistant(corpus)
    live = LiveAssistant(assistant)  # type: ignore[arg-type]
    assistant.broken = True
    (corpus / "new.txt").write_text("第一条 新的。", encoding="utf-8")
    with caplog.at_level(logging.ERROR, logger="assistant.pipeline"):
        for _ in range(5):
            live.poll()
    assert sum("could not be loaded" in r.getMessage() for r in caplog.records) == 1
    assistant.broken = False
    (corpus / "new.txt").write_text("第一条 新的，写完了。", encoding="utf-8")  # fixed: tried again
    live.poll()
    assert live.poll() and assistant.rebuilds == 1
