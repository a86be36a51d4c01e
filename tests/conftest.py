"""Shared fixtures. Tests are offline: any connection beyond loopback fails loudly."""

from __future__ import annotations

import hashlib
import itertools
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from assistant.corpus import chunking, files
from assistant.corpus import records as corpus
from assistant.language.domain import Domain
from assistant.language.lexicon import Lexicon
from assistant.pipeline import Assistant
from assistant.settings import Settings
from assistant.web.loopback import LiveServer
from evals.dataset import DEFAULT_DOCUMENT

ROOT = Path(__file__).resolve().parent.parent
LIBRARY = ROOT / "tests" / "data" / "library"  # more documents: a regulation (.md), a notice without metadata, …
LOOPBACK = ("127.", "::1", "localhost")


@pytest.fixture(autouse=True)
def _block_network(monkeypatch: pytest.MonkeyPatch) -> None:
    real_connect = socket.socket.connect

    def guarded(self: socket.socket, address: object) -> None:
        host = address[0] if isinstance(address, tuple) else str(address)
        if self.family in (socket.AF_INET, socket.AF_INET6) and not str(host).startswith(LOOPBACK):
            raise OSError(f"network access blocked in tests: {address}")
        real_connect(self, address)  # type: ignore[arg-type]

    monkeypatch.setattr(socket.socket, "connect", guarded)


@pytest.fixture(scope="session")
def documents() -> corpus.Corpus:
    return files.load(ROOT / "corpus")


@pytest.fixture(scope="session")
def domain() -> Domain:
    """The default deployment's words: the engine's language data and the notice's domain pack."""
    return Domain.load(Settings().domain_folder())


@pytest.fixture(scope="session")
def lexicon(domain: Domain) -> Lexicon:
    return Lexicon(domain)


@pytest.fixture(scope="session")
def notice(documents: corpus.Corpus) -> corpus.Notice:
    return documents.documents[DEFAULT_DOCUMENT]


@pytest.fixture(scope="session")
def chunks(notice: corpus.Notice) -> list[chunking.Chunk]:
    return chunking.chunk(notice)


class HashEmbeddings:
    """Small deterministic embedder for wiring tests: character-bigram hashing, 64 dims."""

    def __init__(self, model_id: str = "hash-64", dimension: int = 64) -> None:
        self.model_id = model_id
        self.dimension = dimension
        self.calls = 0

    def _vector(self, text: str) -> list[float]:
        vector = np.zeros(self.dimension)
        for a, b in itertools.pairwise(text):
            vector[int(hashlib.md5((a + b).encode()).hexdigest(), 16) % self.dimension] += 1.0
        norm = np.linalg.norm(vector) or 1.0
        return [float(x) for x in vector / norm]

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        self.calls += len(texts)
        return [self._vector(t) for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return self._vector(text)


@pytest.fixture
def hash_embeddings() -> HashEmbeddings:
    return HashEmbeddings()


@pytest.fixture(scope="session")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return Settings(
        corpus_dir=ROOT / "corpus",
        index_dir=tmp_path_factory.mktemp("index"),
        models_dir=ROOT / "models",
        rate_limit_per_minute=0,  # the fuzz and API tests send hundreds of requests from one address
        _env_file=None,  # type: ignore[call-arg]
    )


@pytest.fixture(scope="session")
def assistant(settings: Settings) -> Assistant:
    """The real thing: m3e-small, a real Chroma index on disk (in a temp dir), jieba BM25."""
    return Assistant.load(settings)


@pytest.fixture(scope="session")
def library(tmp_path_factory: pytest.TempPathFactory, settings: Settings, assistant: Assistant) -> Assistant:
    """The Jiading notice plus a regulation (.md), a notice without metadata and one written as instructions."""
    folder = tmp_path_factory.mktemp("library")
    shutil.copytree(ROOT / "corpus", folder, dirs_exist_ok=True)  # with the notice's domain pack
    for source in LIBRARY.iterdir():
        shutil.copy(source, folder / source.name)
    own = settings.model_copy(update={"corpus_dir": folder, "index_dir": folder.parent / "library-index"})
    return Assistant.from_corpus(own, files.load(folder), assistant.embeddings)


@pytest.fixture(scope="session")
def live(assistant: Assistant, settings: Settings, tmp_path_factory: pytest.TempPathFactory):
    server = LiveServer(assistant, settings, tmp_path_factory.mktemp("data") / "feedback.sqlite3")
    yield server
    server.stop()


def run_cli(
    *args: str, settings: Settings | None = None, timeout: float = 300, **env: str
) -> subprocess.CompletedProcess[str]:
    """``python -m assistant ARGS`` as a user runs it, against the test index when ``settings`` is given."""
    variables = {**os.environ, "HF_HUB_OFFLINE": "1", **env}
    if settings is not None:
        variables |= {"INDEX_DIR": str(settings.index_dir), "MODELS_DIR": str(settings.models_dir)}
    return subprocess.run(
        [sys.executable, "-m", "assistant", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=variables,
        timeout=timeout,
        check=False,
    )


# The fast layer (`make test-fast`, `pytest -m "not slow"`): tests that load no model, start no server, spawn no
# process and drive no browser. Everything else is marked slow here rather than test by test.
SLOW_FIXTURES = {"assistant", "library", "live"}
SLOW_MODULES = {
    "test_browser", "test_cli", "test_chroma_server", "test_formats", "test_reload", "test_models", "test_index",
}  # fmt: skip


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "slow: needs the real model, a server, a subprocess or a browser")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        module = item.module.__name__.rsplit(".", 1)[-1] if item.module else ""
        if module in SLOW_MODULES or SLOW_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)
