"""Web chat and the OpenAI-compatible API in one process, behind the guards of ``middleware``: ``make run``."""

from __future__ import annotations

import logging
import sys

import gradio as gr
import uvicorn
from fastapi import FastAPI
from pydantic import ValidationError

from assistant.index.embeddings import ModelError
from assistant.pipeline import Assistant, LiveAssistant
from assistant.settings import Settings
from assistant.web import api
from assistant.web.feedback import FeedbackStore
from assistant.web.middleware import (
    BodyLimit,
    ClientErrors,
    Hardening,
    Login,
    LoginThrottle,
    RateLimit,
    allowed_hosts,
    server_config,
    worker_threads,
)
from assistant.web.ui import CSS, PAGE_SCRIPT, build_ui


def build_app(live: LiveAssistant, settings: Settings, store: FeedbackStore) -> FastAPI:
    # a thread for every connection that may be waiting for its turn to be answered
    lifespan = worker_threads(settings.max_connections)
    brand = live.assistant.branding
    app = FastAPI(title=brand.title, docs_url=None, redoc_url=None, openapi_url=None, lifespan=lifespan)
    # the last added runs first: the login (and its throttle), the 400s for what a client sent, the rate limit
    # (which so counts only logged-in requests), the host and content-type checks, the body limit
    app.add_middleware(BodyLimit, limit=settings.max_request_bytes, timeout=settings.body_timeout_seconds)
    app.add_middleware(Hardening, allowed_hosts=allowed_hosts(settings))
    app.add_middleware(RateLimit, per_minute=settings.rate_limit_per_minute)
    app.add_middleware(ClientErrors)
    if login := settings.login():
        throttle = LoginThrottle(settings.login_failures_allowed)
        key = settings.bearer_key() or login[1]
        app.add_middleware(Login, user=login[0], password=login[1], key=key, realm=brand.realm, throttle=throttle)
    app.include_router(api.router(live))
    # Gradio's queue only bounds how many web requests wait (QUEUE_SIZE); how many are answered at once is the one
    # limit LiveAssistant.ask keeps for web and API alike, in arrival order: a second limit here would make web
    # requests queue twice and starve behind the API's
    ui = build_ui(live, store, settings.max_question_chars).queue(
        max_size=settings.queue_size, default_concurrency_limit=settings.queue_size
    )
    # Gradio's mount computes the page config before it stores css and head: set them first, so the page has them
    script = PAGE_SCRIPT.replace("LIMIT", str(settings.max_question_chars))
    ui.css, ui.head = CSS, script
    # the chat takes no uploads: Gradio's upload route is capped like every other body; no developer links in the
    # footer (the API is documented in the README)
    return gr.mount_gradio_app(
        app, ui, path="/", css=CSS, head=script, max_file_size=settings.max_request_bytes, footer_links=[]
    )


def main() -> int:
    try:
        settings = Settings()
        logging.basicConfig(level=settings.log_level.upper(), format="assistant: %(message)s")
        live = LiveAssistant(Assistant.load(settings, progress=True), settings.concurrency_limit)
    except (ValidationError, ModelError, OSError, ValueError) as error:  # settings, model, INDEX_DIR, corpus
        print(f"error: {error}", file=sys.stderr)
        return 2
    if settings.corpus_watch_seconds:
        live.watch(settings.corpus_watch_seconds)
    store = FeedbackStore(settings.data_dir / "feedback.sqlite3")
    print(f"web chat and API on http://{settings.host}:{settings.port}/  (OpenAI-compatible API under /v1)")
    uvicorn.Server(server_config(build_app(live, settings, store), settings)).run()
    return 0

