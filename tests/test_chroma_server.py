"""Server mode: CHROMA_HOST/CHROMA_PORT switch to a real `chroma run` on loopback, with no code change."""

import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from assistant.index import chroma
from assistant.index import store as index
from assistant.pipeline import Assistant
from assistant.web.loopback import free_port

CHROMA = Path(sys.executable).parent / "chroma"


@pytest.fixture(scope="module")
def chroma_server(tmp_path_factory):
    port = free_port()
    data = tmp_path_factory.mktemp("chroma-server")
    process = subprocess.Popen(
        [str(CHROMA), "run", "--path", str(data), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            pytest.fail("chroma run did not start")
        time.sleep(0.2)
    yield port
    process.terminate()
    process.wait(timeout=20)


def test_indexing_against_a_server_is_idempotent(chroma_server, tmp_path, notice, chunks, hash_embeddings):
    location = chroma.Location(tmp_path, "127.0.0.1", chroma_server)
    _, first = index.ensure(location, notice.content_hash, chunks, hash_embeddings, rebuild=True)
    assert first.added == len(chunks)
    store, second = index.ensure(location, notice.content_hash, chunks, hash_embeddings)
    assert second.reason == "" and len(store.get()["ids"]) == len(chunks)
    assert not (tmp_path / "chroma.sqlite3").exists()  # the vectors live on the server, not in the folder


def test_the_assistant_answers_from_a_chroma_server(chroma_server, settings, tmp_path):
    served = settings.model_copy(
        update={"chroma_host": "127.0.0.1", "chroma_port": chroma_server, "index_dir": tmp_path}
    )
    assistant = Assistant.load(served, rebuild=True)
    answer = assistant.ask("高新技术企业的认定目标是多少？")
    assert "1100" in answer.answer and answer.citations[0].section == "二（三）"


def test_a_wiped_server_collection_is_detected_and_rebuilt(chroma_server, tmp_path, notice, chunks, hash_embeddings):
    location = chroma.Location(tmp_path, "127.0.0.1", chroma_server)
    index.ensure(location, notice.content_hash, chunks, hash_embeddings, rebuild=True)
    location.client().delete_collection(index.read_manifest(tmp_path).collection)
    _, report = index.ensure(location, notice.content_hash, chunks, hash_embeddings)
    assert report.reason == "index content does not match its manifest" and report.added == len(chunks)
