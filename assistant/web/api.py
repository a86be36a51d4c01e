"""OpenAI-compatible API over the same answer function: ``GET /v1/models``, ``POST /v1/chat/completions``.

The answer text carries the citation labels; the response adds a ``citations`` field (and ``answered``).
Streaming sends the answer in pieces as server-sent events, the citations with the last chunk.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import AsyncIterator
from typing import Any, Literal

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import BaseModel, Field, StrictBool, StrictInt, StrictStr, ValidationError
from starlette.concurrency import run_in_threadpool

from assistant.answer.records import Answer
from assistant.corpus.records import UnknownDocument
from assistant.pipeline import LiveAssistant
from assistant.web.chat import history_pairs, message_text
from assistant.web.render import stream_pieces


class TextPart(BaseModel):
    """A content part of a message: only text is read (the assistant answers text questions)."""

    type: Literal["text"]
    text: StrictStr


class ChatMessage(BaseModel):
    role: Literal["system", "developer", "user", "assistant", "tool", "function"]
    content: StrictStr | list[TextPart] | None = None


class ChatRequest(BaseModel):
    model: StrictStr | None = None  # the one model served (its id is the deployment's, ``GET /v1/models``)
    messages: list[ChatMessage] = Field(min_length=1, max_length=200)
    stream: StrictBool = False
    max_tokens: StrictInt | None = Field(None, ge=1)  # accepted as OpenAI clients send it; answers are quotes
    # not OpenAI's: the documents to answer from (id, title, short title or 文号); all when empty
    documents: list[StrictStr] = Field(default_factory=list, max_length=100)


def error_response(
    status: int, message: str, kind: str = "invalid_request_error", code: str | int | None = None
) -> JSONResponse:
    body = {"error": {"message": message, "type": kind, "code": status if code is None else code}}
    return JSONResponse(body, status_code=status)


def _readable(error: Exception) -> str:
    """A validation error as one line a client can act on (no echo of the input)."""
    if isinstance(error, ValidationError):
        first = error.errors(include_input=False)[0]
        where = ".".join(str(part) for part in first["loc"])
        return f"{where}: {first['msg']}" if where else first["msg"]
    return str(error)[:200]


def _completion_id() -> str:
    return f"chatcmpl-{uuid.uuid4().hex[:24]}"


def _extras(answer: Answer) -> dict[str, Any]:
    payload = answer.to_json()
    return {"citations": payload["citations"], "answered": payload["answered"]}


def _chunk(
    model: str, completion_id: str, created: int, delta: dict[str, Any], finish: str | None = None, **extra: Any
) -> str:
    body = {
        "id": completion_id,
        "object": "chat.completion.chunk",
        "created": created,
        "model": model,
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
        **extra,
    }
    return f"data: {json.dumps(body, ensure_ascii=False)}\n\n"


async def _stream(answer: Answer, model: str) -> AsyncIterator[str]:
    """The answer is made before the first piece is sent: an async generator sends the pieces from the event loop,
    without a worker thread for each."""
    completion_id, created, sent = _completion_id(), int(time.time()), ""
    yield _chunk(model, completion_id, created, {"role": "assistant", "content": ""})
    for shown in stream_pieces(answer.answer):
        yield _chunk(model, completion_id, created, {"content": shown[len(sent) :]})
        sent = shown
    yield _chunk(model, completion_id, created, {}, "stop", **_extras(answer))
    yield "data: [DONE]\n\n"


def router(live: LiveAssistant) -> APIRouter:
    """The /v1 routes; who may call them is decided before, by the app's login check."""
    api = APIRouter(prefix="/v1")

    @api.get("/models")
    def models() -> dict[str, Any]:
        brand = live.assistant.branding
        return {
            "object": "list",
            "data": [{"id": brand.model_id, "object": "model", "created": brand.created, "owned_by": brand.realm}],
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
            # the body is at most MAX_REQUEST_BYTES (the server's body limit), and nesting deeper than the parser's
            # recursion limit is a RecursionError: both bounded before anything reads the JSON
            body = ChatRequest.model_validate(json.loads(await request.body()))
        except (ValueError, ValidationError, RecursionError) as error:
            return error_response(400, f"invalid request body: {_readable(error)}")
        model = live.assistant.branding.model_id
        if body.model not in (None, model):
            return error_response(404, f"model {body.model[:60]!r} not found; use {model!r}", code="model_not_found")
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
        answer = await run_in_threadpool(live.ask, question, history, scope)
        if body.stream:
            return StreamingResponse(_stream(answer, model), media_type="text/event-stream")
        return JSONResponse(
            {
                "id": _completion_id(),
                "object": "chat.completion",
                "created": int(time.time()),
                "model": model,
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
