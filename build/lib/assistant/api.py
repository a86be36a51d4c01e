"""OpenAI-compatible API over the same answer function: ``GET /v1/models``, ``POST /v1/chat/completions``.

The answer text carries the citation labels; the response adds a ``citations`` field (and ``answered``).
Streaming sends the answer in pieces as server-sent events, the citations with the last chunk.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import BaseModel, Field, ValidationError
from starlette.concurrency import run_in_threadpool

from .chat import history_pairs, message_text
from .citations import Answer
from .corpus import UnknownDocument
from .pipeline import LiveAssistant
from .web import stream_pieces

MODEL_ID = "jiading-kjcx-2025"


class ChatMessage(BaseModel):
    role: str
    content: str | list[dict[str, Any]] | None = None


class ChatRequest(BaseModel):
    model: str = MODEL_ID
    messages: list[ChatMessage] = Field(min_length=1)
    stream: bool = False
    # not OpenAI's: the documents to answer from (id, title, short title or 文号); all when empty
    documents: list[str] = Field(default_factory=list, max_length=100)


def error_response(status: int, message: str, kind: str = "invalid_request_error") -> JSONResponse:
    return JSONResponse({"error": {"message": message, "type": kind, "code": status}}, status_code=status)


def _completion_id() -> str:
    return f"chatcmpl-{uuid.uuid4().hex[:24]}"


def _extras(answer: Answer) -> dict[str, Any]:
    payload = answer.to_json()
    return {"citations": payload["citations"], "answered": payload["answered"]}


def _chunk(completion_id: str, created: int, delta: dict[str, Any], finish: str | None = None, **extra: Any) -> str:
    body = {
        "id": completion_id,
        "object": "chat.completion.chunk",
        "created": created,
        "model": MODEL_ID,
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
        **extra,
    }
    return f"data: {json.dumps(body, ensure_ascii=False)}\n\n"


def _stream(answer: Answer) -> Iterator[str]:
    completion_id, created, sent = _completion_id(), int(time.time()), ""
    yield _chunk(completion_id, created, {"role": "assistant", "content": ""})
    for shown in stream_pieces(answer.answer):
        yield _chunk(completion_id, created, {"content": shown[len(sent) :]})
        sent = shown
    yield _chunk(completion_id, created, {}, "stop", **_extras(answer))
    yield "data: [DONE]\n\n"


def router(live: LiveAssistant) -> APIRouter:
    """The /v1 routes; who may call them is decided before, by the app's login check."""
    api = APIRouter(prefix="/v1")

    @api.get("/models")
    def models() -> dict[str, Any]:
        return {
            "object": "list",
            "data": [{"id": MODEL_ID, "object": "model", "created": 1743379200, "owned_by": "jiading-kjcx"}],
        }

    @api.get("/documents")
    def documents() -> dict[str, Any]:
        """The corpus: what a ``documents`` filter may name."""
        return {
            "object": "list",
            "data": [
                {"id": d.id, "reference": d.reference(), **d.metadata, "sections": len(d.sections)}
                for d in live.assistant.corpus.documents.values()
            ],
        }

    @api.post("/chat/completions", response_model=None)
    async def chat_completions(request: Request) -> JSONResponse | StreamingResponse:
        try:
            body = ChatRequest.model_validate(json.loads(await request.body()))
        except (ValueError, ValidationError) as error:
            return error_response(400, f"invalid request body: {str(error)[:300]}")
        messages = [m.model_dump() for m in body.messages]
        if messages[-1]["role"] != "user":
            return error_response(400, "the last message must come from the user")
        question = message_text(messages[-1]["content"])
        history = history_pairs(messages[:-1])
        assistant = live.assistant
        try:
            scope = assistant.corpus.resolve(body.documents)
        except UnknownDocument as error:
            return error_response(400, str(error))
        answer = await run_in_threadpool(assistant.ask, question, history, scope)
        if body.stream:
            return StreamingResponse(_stream(answer), media_type="text/event-stream")
        return JSONResponse(
            {
                "id": _completion_id(),
                "object": "chat.completion",
                "created": int(time.time()),
                "model": MODEL_ID,
                "choices": [
                    {"index": 0, "message": {"role": "assistant", "content": answer.answer}, "finish_reason": "stop"}
                ],
                "usage": {
                    "prompt_tokens": len(question),
                    "completion_tokens": len(answer.answer),
                    "total_tokens": len(question) + len(answer.answer),
                },
                **_extras(answer),
            }
        )

    return api
