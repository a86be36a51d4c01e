"""Command line: ``python -m assistant ask|index|documents|feedback|models``.

Usage errors print one line on stderr and exit with status 2; no tracebacks.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

from pydantic import ValidationError

from .citations import Answer
from .models import ModelError, install_m3e
from .settings import Settings

USAGE_ERROR = 2


class UsageError(Exception):
    pass


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m assistant", description="政策文件问答助手（默认语料：《2025年嘉定区科技创新工作要点》）"
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


def _history(raw: str | None) -> list[tuple[str, str]]:
    if not raw:
        return []
    try:
        turns = json.loads(raw)
        return [(str(q), str(a)) for q, a in turns]
    except (ValueError, TypeError) as error:
        raise UsageError(f'--history must be JSON like [["问题","回答"]]: {error}') from error


def _questions(path: Path) -> list[str]:
    try:
        return path.read_bytes().decode("utf-8", errors="replace").splitlines()
    except OSError as error:
        raise UsageError(f"cannot read questions file {path}: {error.strerror}") from error


def _ask(args: argparse.Namespace, settings: Settings) -> int:
    from .answer import Rules
    from .normalize import clean_question
    from .pipeline import Assistant

    if args.questions is None:
        if args.question is None:
            raise UsageError("give a question, or --questions FILE")
        _, error = clean_question(args.question, Rules.load().messages, settings.max_question_chars)
        if error:
            raise UsageError(error)
        questions = [args.question]
    else:
        questions = _questions(args.questions)
    history = _history(args.history)
    assistant = Assistant.load(settings)
    scope = assistant.corpus.resolve(args.doc)  # an unknown name is a usage error, before any question
    for question in questions:
        _print_answer(assistant.ask(question, history, scope), args.json)
    return 0


def _documents(settings: Settings) -> int:
    from .files import load

    for document in load(settings.corpus_dir).documents.values():
        print(f"{document.id}\t{document.reference()}\t{len(document.sections)} sections")
    return 0


def _index(args: argparse.Namespace, settings: Settings) -> int:
    from .pipeline import Assistant

    assistant = Assistant.load(settings, rebuild=args.rebuild, progress=True)
    print(f"index {settings.index_dir}: {assistant.index_report.summary()}")
    return 0


def _export_feedback(args: argparse.Namespace, settings: Settings) -> int:
    from .feedback import FeedbackStore

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
        return _ask(args, settings) if args.command == "ask" else _index(args, settings)
    except (UsageError, ModelError, ValidationError, OSError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return USAGE_ERROR


if __name__ == "__main__":
    sys.exit(main())
