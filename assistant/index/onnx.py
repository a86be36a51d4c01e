"""The query path's embeddings: the model exported once to ONNX, its pooling and normalisation inside the graph,
run by onnxruntime with the model's own ``tokenizer.json``. Nothing here imports torch, so a cold question pays
for onnxruntime (~0.2 s), not for torch and transformers (6–9 s). ``models.export_onnx`` writes the graph; the
vectors match sentence-transformers' (cosine ≥ 0.999 on every chunk and eval question, tests/test_models.py).
"""

from __future__ import annotations

import json
import os
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from assistant.index.embeddings import NamedEmbeddings, transformer_folder

if TYPE_CHECKING:
    import onnxruntime

# texts per ONNX run while indexing, as sentence-transformers batches them: each batch is padded to its longest
BATCH = 32


class OnnxEmbeddings(NamedEmbeddings):
    """LangChain ``Embeddings`` over an exported ``graph`` of the model in ``folder`` (normalised vectors, as the
    torch path gives)."""

    def __init__(self, folder: Path, graph: Path, model_id: str, threads: int = 1) -> None:
        from tokenizers import Tokenizer

        self.model_id = model_id
        source = transformer_folder(folder)
        config = source / "sentence_bert_config.json"
        settings = json.loads(config.read_text(encoding="utf-8")) if config.exists() else {}
        self.tokenizer = Tokenizer.from_file(str(source / "tokenizer.json"))
        self.tokenizer.enable_truncation(int(settings.get("max_seq_length") or 512))
        padding = self.tokenizer.token_to_id("[PAD]") or 0
        self.tokenizer.enable_padding(pad_id=padding)
        self.lowercase = bool(settings.get("do_lower_case"))
        self.graph = graph
        # one thread a question: concurrent questions each get a core instead of contending for both
        self.session = self._session(threads)
        self.inputs = [i.name for i in self.session.get_inputs()]
        self._dimension = int(self.session.get_outputs()[0].shape[-1])

    def _session(self, threads: int) -> onnxruntime.InferenceSession:
        import onnxruntime

        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        return onnxruntime.InferenceSession(str(self.graph), options, providers=["CPUExecutionProvider"])

    @cached_property
    def _batch_session(self) -> onnxruntime.InferenceSession:
        """Indexing embeds thousands of texts with nothing else to do: every core on each batch."""
        return self._session(os.cpu_count() or 1)

    @property
    def dimension(self) -> int:
        return self._dimension

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        # batched by length, as sentence-transformers does: a batch is padded to its longest text
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        vectors: list[list[float]] = [[] for _ in texts]
        for start in range(0, len(order), BATCH):
            chosen = order[start : start + BATCH]
            for i, vector in zip(chosen, self._embed([texts[i] for i in chosen], self._batch_session), strict=True):
                vectors[i] = vector
        return vectors

    def embed_query(self, text: str) -> list[float]:
        return self._embed([text], self.session)[0]

    def _embed(self, texts: list[str], session: onnxruntime.InferenceSession) -> list[list[float]]:
        encoded = self.tokenizer.encode_batch([t.lower() for t in texts] if self.lowercase else texts)
        columns = {
            "input_ids": [e.ids for e in encoded],
            "attention_mask": [e.attention_mask for e in encoded],
            "token_type_ids": [e.type_ids for e in encoded],
        }
        feed = {name: np.asarray(columns[name], dtype=np.int64) for name in self.inputs}
        (output,) = session.run(None, feed)
        return [[float(x) for x in row] for row in output]
