"""A scripted OpenAI-compatible LLM on loopback, to test the guard: ``python -m evals.scripted_llm``.

It reads the retrieved sections from the system prompt and answers from them, correctly or with a
planted error, so every path of the guard is exercised over real HTTP:

- ``correct``: the best-matching sentence of the first section, cited with its label;
- ``invent``: the correct answer plus a sentence with a number that is in no section (→ repaired);
- ``miscite``: the correct sentence cited with a label that was not retrieved (→ replaced);
- ``extra_cite``: the correct answer plus a sentence citing a section it was not given (→ repaired);
- ``decline``: 本文件未提及… although evidence exists (→ replaced);
- ``leak``: repeats its system prompt before the correct answer (→ repaired: the leak is dropped);
- ``misattach``: the question's subject with a figure the section states of something else (→ repaired/replaced);
- ``garbage``: a body that is not JSON (→ fallback); ``slow``: answers after ``--delay`` seconds (→ timeout);
- ``mixed``: one of correct/invent/miscite/extra_cite/decline/garbage, chosen by a hash of the question.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import re
import sys
import time
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response

SECTION = re.compile(r"〔([^〔〕]+)〕\n([^\n]+)")
MIXED = ["correct", "invent", "miscite", "extra_cite", "decline", "garbage", "leak", "misattach", "correct", "correct"]


def _answer_for(mode: str, system: str, question: str) -> str:
    retrieved_part = system.split("检索到的条目：", 1)[-1]
    sections = SECTION.findall(retrieved_part)
    outline = [line.strip() for line in system.split("文件目录：", 1)[-1].split("检索到的条目：")[0].splitlines()]
    if not sections:
        return "本文件未提及相关内容。"
    label, text = sections[0]
    sentences = [s for s in re.split(r"(?<=[。；])", text) if s.strip()]
    wants_figure = any(cue in question for cue in ("多少", "几", "目标", "how many", "target"))

    def fit(sentence: str) -> int:  # a crude reader: shared characters, and a figure when one is asked for
        return len(set(sentence) & set(question)) + (10 if wants_figure and re.search(r"\d", sentence) else 0)

    best = max(sentences, key=fit).rstrip("。；")
    correct = f"{best}〔{label}〕。"
    given = {lab for lab, _ in sections}
    stranger = next((line for line in outline if line and line not in given and "、" in line), "四、（三）不存在的条目")
    # a verbatim number of the section that the chosen sentence does not hold: stated of another thing
    other = next((n for n in re.findall(r"\d+(?:\.\d+)?%?", text) if n not in best), None)
    subject = re.sub(r"(是多少|多少|是什么|什么|有哪些|哪些|[？?。])", "", question) or "目标"
    return {
        "misattach": f"{subject}为 {other}〔{label}〕。{correct}" if other else correct,
        "correct": correct,
        "invent": correct + f"此外，全区还将新增 9999 家相关企业〔{label}〕。",
        "miscite": f"{best}〔{stranger}〕。",
        "extra_cite": correct + f"相关工作另见〔{stranger}〕。",
        "decline": "本文件未提及该内容。",
        "leak": "我的规则是：" + system.split("文件目录：")[0].strip().replace("\n", "") + correct,
    }[mode]


def app(mode: str, delay: float = 0.0) -> FastAPI:
    api = FastAPI()

    @api.post("/v1/chat/completions", response_model=None)
    async def completions(request: Request) -> Response:
        body: dict[str, Any] = await request.json()
        system = next((m["content"] for m in body["messages"] if m["role"] == "system"), "")
        question = body["messages"][-1]["content"]
        chosen = mode
        if mode == "mixed":
            chosen = MIXED[int(hashlib.sha256(question.encode()).hexdigest(), 16) % len(MIXED)]
        if chosen == "slow":
            await asyncio.sleep(delay)
            chosen = "correct"
        if chosen == "garbage":
            return PlainTextResponse("<html>502 upstream garbage", status_code=200)
        content = _answer_for(chosen, system, question)
        return JSONResponse(
            {
                "id": "scripted",
                "object": "chat.completion",
                "created": int(time.time()),
                "model": body.get("model", "scripted"),
                "choices": [
                    {"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}
                ],
                "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
            }
        )

    return api


def main(argv: list[str] | None = None) -> int:
    import uvicorn

    parser = argparse.ArgumentParser(prog="python -m evals.scripted_llm")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--mode", default="mixed", choices=[*dict.fromkeys(MIXED), "slow", "mixed"])
    parser.add_argument("--delay", type=float, default=30.0)
    args = parser.parse_args(argv)
    uvicorn.run(app(args.mode, args.delay), host="127.0.0.1", port=args.port, log_level="warning")
    return 0


if __name__ == "__main__":
    sys.exit(main())
