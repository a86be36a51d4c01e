"""Web chat (Gradio) and the OpenAI-compatible API, served by one process. Run: ``make run``.

Thin on purpose: what it shows comes from ``assistant.web``/``assistant.chat``, which the tests call directly.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from typing import Any

import gradio as gr
import uvicorn
from fastapi import FastAPI
from pydantic import ValidationError

from assistant import api
from assistant.chat import history_pairs, reply
from assistant.citations import Citation
from assistant.corpus import Corpus, Notice
from assistant.feedback import FeedbackStore
from assistant.models import ModelError
from assistant.pipeline import Assistant, LiveAssistant
from assistant.profiles import load_profiles
from assistant.serving import (
    BodyLimit,
    ClientErrors,
    Hardening,
    Login,
    LoginThrottle,
    RateLimit,
    allowed_hosts,
    server_config,
)
from assistant.settings import Settings
from assistant.web import evidence_html, outline, profile_markdown, stream_pieces, supporting

TITLE = "政策文件问答助手"
PROMISE = "回答逐字摘自原文并标注条目；文件没有写的，助手会说“本文件未提及”。"
ALL = "全部文件"
REALM = "jiading-kjcx"  # the login prompt's realm: ASCII, as HTTP headers want
CSS = """
#chips label { border-radius: 999px; }
.evidence mark.quote { background: #fde68a; padding: 0 2px; }
.evidence .breadcrumb { color: #64748b; font-size: 0.85em; margin-bottom: 0.5em; }
"""


def heading(corpus: Corpus) -> str:
    """The page heading: the notice itself when there is one, else how many documents."""
    documents = list(corpus.documents.values())
    if len(documents) == 1:
        d = documents[0]
        details = " · ".join(x for x in (d.doc_number, d.metadata.get("issuer", ""), d.date) if x)
        return f"## 《{d.title}》问答助手\n{details}。{PROMISE}"
    return f"## {TITLE}\n共 {len(documents)} 份文件，可在“范围”中选定其中一份。{PROMISE}"


def build_ui(live: LiveAssistant, store: FeedbackStore) -> gr.Blocks:
    profiles = {p.name: p for p in load_profiles()}

    def in_scope(doc: str | None) -> list[Notice]:
        documents = live.assistant.corpus.documents
        return [documents[doc]] if doc in documents else list(documents.values())

    def respond(
        message: str, messages: list[dict[str, Any]], _state: Any, doc: str | None
    ) -> Iterator[tuple[Any, ...]]:
        prior = list(messages or [])
        assistant = live.assistant
        answer = reply(live, message, prior, [doc] if doc else None)
        shown = [*prior, {"role": "user", "content": message}, {"role": "assistant", "content": ""}]
        for text in stream_pieces(answer.answer):
            shown[-1] = {"role": "assistant", "content": text}
            yield shown, "", gr.update(), gr.update(), gr.update()
        state = {**answer.to_json(), "history": history_pairs(prior)}
        chips = list(dict.fromkeys(c.marker() for c in answer.citations))
        first = answer.citations[0] if answer.citations else None
        notice = assistant.corpus.documents[first.doc] if first else None
        panel = evidence_html(notice, first.section, supporting(answer.to_json())) if notice and first else ""
        yield shown, "", gr.update(choices=chips, value=None), panel, state

    def show_cited(chip: str | None, state: dict[str, Any] | None) -> str:
        citations = [Citation(**c) for c in (state or {}).get("citations", [])]
        cited = next((c for c in citations if c.marker() == chip), None)
        notice = live.assistant.corpus.documents.get(cited.doc) if cited else None
        if cited is None or notice is None:
            return gr.skip()
        return evidence_html(notice, cited.section, supporting(state or {}))

    def show_section(value: str | None) -> str:
        doc, _, section = (value or "").partition("/")
        notice = live.assistant.corpus.documents.get(doc)
        return evidence_html(notice, section) if notice else gr.skip()

    def record(rating: int, reason: str, state: dict[str, Any] | None) -> tuple[str, str]:
        if not state:
            return "请先提问，再评价回答。", reason
        store.add(rating, state["question"], state["answer"], state["citations"], state["history"], reason.strip())
        return ("已记录 👍，谢谢！" if rating > 0 else "已记录 👎，我们会据此改进。"), ""

    corpus = live.assistant.corpus
    with gr.Blocks(title=TITLE) as ui:
        gr.Markdown(heading(corpus))
        state = gr.State(None)
        scope = gr.Dropdown(
            choices=[(ALL, "")] + [(d.reference(), d.id) for d in corpus.documents.values()],
            value="",
            label="范围",
            elem_id="scope",
            visible=len(corpus.documents) > 1,
        )
        with gr.Row():
            with gr.Column(scale=3):
                chat = gr.Chatbot(value=[], height=480, elem_id="chat", label="对话")
                question = gr.Textbox(placeholder="输入问题，回车发送", show_label=False, elem_id="question")
                with gr.Row():
                    send = gr.Button("发送", variant="primary", elem_id="send")
                    new = gr.Button("新对话", elem_id="new")
                chips = gr.Radio(choices=[], label="引用（点击查看原文）", elem_id="chips")
                with gr.Row():
                    up = gr.Button("👍 有帮助", elem_id="up", scale=0)
                    down = gr.Button("👎 有问题", elem_id="down", scale=0)
                    reason = gr.Textbox(placeholder="可选：说说原因", show_label=False, elem_id="reason", scale=3)
                status = gr.Markdown(elem_id="feedback-status")
                examples = live.assistant.rules.examples
                gr.Examples([[q] for q in examples["staff"]], inputs=[question], label="工作人员常问")
                gr.Examples([[q] for q in examples["enterprise"]], inputs=[question], label="企业常问")
            with gr.Column(scale=2):
                with gr.Tab("原文证据"):
                    evidence = gr.HTML("<p>提问后，这里显示所引条目的全文，引文高亮。</p>", elem_id="evidence")
                with gr.Tab("目录", elem_id="outline-tab") as outline_tab:
                    sections = gr.Radio(choices=outline(in_scope(None)), label="点击条目阅读全文", elem_id="outline")
                with gr.Tab("我的企业", elem_id="profile-tab"):
                    profile = gr.Dropdown(choices=list(profiles), value=None, label="行业或身份", elem_id="profile")
                    concerns = gr.Markdown(elem_id="profile-result")

        outputs = [chat, question, chips, evidence, state]
        for trigger in (question.submit, send.click):
            trigger(respond, [question, chat, state, scope], outputs, concurrency_limit="default")
        chips.change(show_cited, [chips, state], evidence)
        sections.change(show_section, sections, evidence)
        # the outline is rebuilt whenever it is opened, so it follows a corpus reloaded under the server
        outline_tab.select(lambda doc: gr.update(choices=outline(in_scope(doc)), value=None), scope, sections)
        scope.change(lambda doc: gr.update(choices=outline(in_scope(doc)), value=None), scope, sections)
        profile.change(
            lambda name, doc: profile_markdown(in_scope(doc), profiles[name]) if name else "",
            [profile, scope],
            concerns,
        )
        up.click(lambda r, s: record(1, r, s), [reason, state], [status, reason])
        down.click(lambda r, s: record(-1, r, s), [reason, state], [status, reason])
        new.click(
            lambda: ([], None, gr.update(choices=[], value=None), "", ""), None, [chat, state, chips, evidence, status]
        )
    return ui


def build_app(live: LiveAssistant, settings: Settings, store: FeedbackStore) -> FastAPI:
    app = FastAPI(title=TITLE, docs_url=None, redoc_url=None, openapi_url=None)
    # the last added runs first: the login (and its throttle), the 400s for what a client sent, the rate limit
    # (which so counts only logged-in requests), the host and content-type checks, the body limit
    app.add_middleware(BodyLimit, limit=settings.max_request_bytes, timeout=settings.body_timeout_seconds)
    app.add_middleware(Hardening, allowed_hosts=allowed_hosts(settings))
    app.add_middleware(RateLimit, per_minute=settings.rate_limit_per_minute)
    app.add_middleware(ClientErrors)
    if login := settings.login():
        throttle = LoginThrottle(settings.login_failures_allowed)
        key = settings.bearer_key() or login[1]
        app.add_middleware(Login, user=login[0], password=login[1], key=key, realm=REALM, throttle=throttle)
    app.include_router(api.router(live))
    ui = build_ui(live, store).queue(max_size=settings.queue_size, default_concurrency_limit=settings.concurrency_limit)
    # the chat takes no uploads: Gradio's upload route is capped like every other body
    return gr.mount_gradio_app(app, ui, path="/", css=CSS, max_file_size=settings.max_request_bytes)


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


if __name__ == "__main__":
    sys.exit(main())
