"""Index stage: embeddings (ONNX or torch), the Chroma store and its sync, BM25, and the hybrid search over them."""
