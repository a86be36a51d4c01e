"""Command line: ``python -m assistant ask|index|documents|targets|feedback|models``.

Usage errors print one line on stderr and exit with status 2; no tracebacks.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from pydantic import ValidationError

from assistant.answer.records import Answer
from assistant.index.embeddings import ModelError, install_m3e
from assistant.settings import Settings

USAGE_ERROR = 2


class UsageError(Exception):
    pass


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m assistant", description="政策文件问答助手：回答 CORPUS_DIR 中政策文件的内容，逐字引用并注明条目"
    )
    commands = parser.add_subparsers(dest="command", required=True)
    ask = commands.add_parser("ask", help="answer a question with citations")
    ask.add_argument("question", nargs="?", help="the question (omit with --questions)")
    ask.add_argument("--json", action="store_true", help="print one JSON object per question")
    ask.add_argument("--questions", type=Path, help="file with one question per line")
    ask.add_argument("--history", help='earlier turns as JSON: [["问题","回答"], ...]')
    ask.add_argument(
        "--doc",
        action="append",
        default=[],
        help="answer from this document only (id, title, short title or 文号); repeatable",
    )
    commands.add_parser("documents", help="list the documents in the corpus")
    figures = commands.add_parser("targets", help="指标一览: every figure the documents set, with its section")
    figures.add_argument("--csv", action="store_true", help="CSV for a spreadsheet (UTF-8 with BOM)")
    figures.add_argument("--doc", action="append", default=[], help="this document only (as for ask); repeatable")
    build = commands.add_parser("index", help="build or refresh the Chroma index")
    build.add_argument("--rebuild", action="store_true", help="re-embed everything")
    feedback = commands.add_parser("feedback", help="work with 👍/👎 feedback from the web chat")
    feedback.add_argument("action", choices=["export"], help="write 👎 items as candidate eval lines (JSONL)")
    feedback.add_argument("--out", type=Path, help="file to write (default: standard output)")
    models = commands.add_parser("models", help="manage embedding models")
    models.add_argument("action", choices=["install"], help="provision the default model (m3e-small) offline")
    return parser


def _print_answer(answer: Answer, as_json: bool) -> None:
    if as_json:
        print(json.dumps(answer.to_json(), ensure_ascii=False), flush=True)
    else:
        print(answer.answer, flush=True)


# --history and --questions are bounded like an API request: a mistaken file or paste gets a clear error, not
# minutes of work or memory
MAX_TURNS = 50
MAX_QUESTIONS = 100_000


def _history(raw: str | None, limit: int) -> list[tuple[str, str]]:
    if not raw:
        return []
    if len(raw.encode("utf-8", errors="replace")) > limit:
        raise UsageError(f"--history is over {limit} bytes (MAX_REQUEST_BYTES); give the last few turns only")
    try:
        turns = json.loads(raw)
        if not isinstance(turns, list) or not all(
            isinstance(t, list) and len(t) == 2 and all(isinstance(x, str) for x in t) for t in turns
        ):
            raise ValueError("each turn must be a pair of strings")
    except (ValueError, RecursionError) as error:
        raise UsageError(f'--history must be JSON like [["问题","回答"]]: {str(error)[:120]}') from error
    if len(turns) > MAX_TURNS:
        raise UsageError(f"--history has {len(turns)} turns; at most {MAX_TURNS}")
    return [(q, a) for q, a in turns]


def _questions(path: Path, line_limit: int) -> Iterator[str]:
    """The file's questions, read a line at a time. A line longer than ``line_limit`` characters is cut just past
    it, so the answer says it is too long; more than MAX_QUESTIONS lines is a usage error, found before anything
    is loaded."""
    try:
        with path.open("rb") as counting:
            lines = sum(1 for _ in counting)
    except OSError as error:
        raise UsageError(f"cannot read questions file {path}: {error.strerror}") from error
    if lines > MAX_QUESTIONS:
        raise UsageError(f"{path} has {lines} lines; at most {MAX_QUESTIONS} questions per file")
    return _lines(path, 4 * (line_limit + 1))  # UTF-8: at most 4 bytes a character


def _lines(path: Path, size: int) -> Iterator[str]:
    with path.open("rb") as handle:
        while raw := handle.readline(size):
            rest = raw
            while rest and not rest.endswith(b"\n"):  # the rest of an over-long line, a piece at a time
                rest = handle.readline(size)
            yield raw.decode("utf-8", errors="replace").rstrip("\r\n")


def _ask(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.answer import Rules
    from assistant.language.normalize import clean_question
    from assistant.pipeline import Assistant

    if args.questions is None:
        if args.question is None:
            raise UsageError("give a question, or --questions FILE")
        _, error = clean_question(args.question, Rules.load().messages, settings.max_question_chars)
        if error:
            raise UsageError(error)
        questions: Iterable[str] = [args.question]
    else:
        questions = _questions(args.questions, settings.max_question_chars)
    history = _history(args.history, settings.max_request_bytes)
    assistant = Assistant.load(settings)
    scope = assistant.corpus.resolve(args.doc)  # an unknown name is a usage error, before any question
    for question in questions:
        _print_answer(assistant.ask(question, history, scope), args.json)
    if __name__ == "__main__" and not assistant.index_report.wrote:
        # the index was only read, so nothing is left to write: skip tearing down the model, the index and the
        # dictionaries, 0.4 s of a 2.7 s cold answer (docs/eval/bench.json); not when imported, which would end
        # the caller
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)
    return 0


def _documents(settings: Settings) -> int:
    from assistant.corpus.files import load

    for document in load(settings.corpus_dir).documents.values():
        print(f"{document.id}\t{document.reference()}\t{len(document.sections)} sections")
    return 0


def _targets(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.answer import Rules
    from assistant.answer.targets import as_csv, targets
    from assistant.corpus.files import load

    corpus = load(settings.corpus_dir)
    chosen = corpus.resolve(args.doc)  # an unknown name is a usage error, said in one line by main
    rows = targets(corpus.scoped(chosen or None), [unit.stated for unit in Rules.load().units])
    if args.csv:
        sys.stdout.write(as_csv(rows))
        return 0
    many = len(corpus.documents) > 1
    for row in rows:
        print(f"{row.document + ' ' if many else ''}〔{row.section}〕{row.text}")
    return 0


def _index(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.pipeline import Assistant

    assistant = Assistant.load(settings, rebuild=args.rebuild, progress=True)
    print(f"index {settings.index_dir}: {assistant.index_report.summary()}")
    return 0


def _export_feedback(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.web.feedback import FeedbackStore

    path = settings.data_dir / "feedback.sqlite3"
    if not path.exists():
        raise UsageError(f"no feedback store at {path} yet")
    store = FeedbackStore(path)
    lines = [json.dumps(line, ensure_ascii=False) for line in store.eval_candidates()]
    store.close()
    text = "".join(line + "\n" for line in lines)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
        print(f"{len(lines)} candidate eval lines written to {args.out} (review them before adding to evals/)")
    else:
        sys.stdout.write(text)
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = Settings()
        logging.basicConfig(level=settings.log_level.upper(), format="assistant: %(message)s")
        if args.command == "models":
            print(f"model ready: {install_m3e(settings.models_dir)}")
            return 0
        if args.command == "feedback":
            return _export_feedback(args, settings)
        if args.command == "documents":
            return _documents(settings)
        if args.command == "targets":
            return _targets(args, settings)
        return _ask(args, settings) if args.command == "ask" else _index(args, settings)
    except (UsageError, ModelError, ValidationError, OSError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return USAGE_ERROR


if __name__ == "__main__":
    sys.exit(main())
