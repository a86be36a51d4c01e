"""Lexical index: BM25 (bm25s sparse matrices) over jieba tokens, persisted beside the dense index.

Tokenising is the slow part (jieba over every chunk), so tokens are kept per chunk content hash in
SQLite and only new or changed chunks are tokenised again.  The BM25 matrix itself is cheap to rebuild from
cached tokens and is saved with a fingerprint of the chunks and the tokeniser; an unchanged corpus loads it
from disk as it is.

Within a scope of a few documents, BM25 is computed over those documents alone: term weights then come from the
documents asked about, so an answer from a chosen notice does not shift as unrelated documents join the corpus.
"""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import bm25s
import numpy as np

from assistant.corpus.chunking import Chunk
from assistant.language.lexicon import Lexicon

logging.getLogger("bm25s").setLevel(logging.WARNING)  # it sets itself to DEBUG on import
log = logging.getLogger(__name__)

FOLDER = "bm25"
TOKENS = "tokens.sqlite3"
FINGERPRINT = "fingerprint.json"
EMPTY = "∅"  # a chunk with no searchable token still needs a column
CACHED_SCOPES = 64

TokenLookup = Callable[[Sequence[int]], list[list[str]]]  # chunk positions → their tokens


@dataclass(frozen=True)
class LexicalReport:
    tokenized: int = 0  # chunks tokenised now
    reused: int = 0  # chunks whose cached tokens were reused
    loaded: bool = False  # the saved matrix was current and loaded as it was


class BM25Index:
    """BM25 scores of every chunk (in ``chunks`` order) for a query."""

    def __init__(
        self, model: bm25s.BM25, size: int, lexicon: Lexicon, report: LexicalReport, lookup: TokenLookup
    ) -> None:
        self.model = model
        self.size = size
        self.lexicon = lexicon
        self.report = report
        self._lookup = lookup
        self._scoped: OrderedDict[tuple[str, ...], bm25s.BM25] = OrderedDict()
        self._lock = threading.Lock()

    @classmethod
    def build(cls, chunks: Sequence[Chunk], lexicon: Lexicon) -> BM25Index:
        """In memory only (tests, baselines)."""
        tokens = [lexicon.tokens(c.embedding_text) for c in chunks]
        return cls(
            _fit(tokens), len(chunks), lexicon, LexicalReport(), lambda positions: [tokens[i] for i in positions]
        )

    @classmethod
    def open(cls, folder: Path, chunks: Sequence[Chunk], lexicon: Lexicon) -> BM25Index:
        """The saved index when it matches ``chunks``; otherwise rebuilt, tokenising only what changed."""
        folder = folder / FOLDER
        folder.mkdir(parents=True, exist_ok=True)
        fingerprint = _fingerprint(chunks, lexicon)
        saved = folder / "model"
        lookup = _cached_tokens(folder / TOKENS, [c.content_hash for c in chunks])
        if _read_fingerprint(folder) == fingerprint and saved.is_dir():
            try:
                model = bm25s.BM25.load(str(saved))
                return cls(model, len(chunks), lexicon, LexicalReport(reused=len(chunks), loaded=True), lookup)
            except (OSError, ValueError, KeyError, EOFError) as error:
                log.warning("bm25 index unreadable (%s); rebuilding it from cached tokens", error)
        try:
            tokens, report = _tokens(folder / TOKENS, chunks, lexicon)
        except sqlite3.DatabaseError as error:  # a damaged token cache is only a cache: start it again
            log.warning("bm25 token cache unreadable (%s); tokenising every chunk again", error)
            (folder / TOKENS).unlink()
            tokens, report = _tokens(folder / TOKENS, chunks, lexicon)
        model = _fit(tokens)
        temporary = folder / "model.tmp"
        shutil.rmtree(temporary, ignore_errors=True)
        model.save(str(temporary))
        shutil.rmtree(saved, ignore_errors=True)
        temporary.rename(saved)
        (folder / FINGERPRINT).write_text(json.dumps({"fingerprint": fingerprint}), encoding="utf-8")
        return cls(model, len(chunks), lexicon, report, lookup)

    def scores(self, query: str) -> np.ndarray:
        tokens = self.lexicon.tokens(query)
        if not tokens:  # nothing searchable (emoji, punctuation): no lexical evidence at all
            return np.zeros(self.size)
        return np.asarray(self.model.get_scores(tokens))

    def scores_within(self, query: str, scope: tuple[str, ...], positions: np.ndarray) -> np.ndarray:
        """Scores over the whole chunk list, BM25 computed over the chunks at ``positions`` alone (0 elsewhere)."""
        tokens = self.lexicon.tokens(query)
        scores = np.zeros(self.size)
        if not tokens or not len(positions):
            return scores
        with self._lock:
            model = self._scoped.get(scope)
            if model is not None:
                self._scoped.move_to_end(scope)
        if model is None:
            model = _fit(self._lookup(positions.tolist()))
            with self._lock:
                self._scoped[scope] = model
                while len(self._scoped) > CACHED_SCOPES:
                    self._scoped.popitem(last=False)
        scores[positions] = model.get_scores(tokens)
        return scores


def _fit(tokens: list[list[str]]) -> bm25s.BM25:
    model = bm25s.BM25()
    model.index([t or [EMPTY] for t in tokens], show_progress=False)
    return model


def _fingerprint(chunks: Sequence[Chunk], lexicon: Lexicon) -> str:
    digest = hashlib.sha256(lexicon.domain.fingerprint.encode())
    for chunk in chunks:
        digest.update(chunk.content_hash.encode())
    return digest.hexdigest()


def _read_fingerprint(folder: Path) -> str:
    try:
        return str(json.loads((folder / FINGERPRINT).read_text(encoding="utf-8"))["fingerprint"])
    except (OSError, ValueError, KeyError):
        return ""


def _cached_tokens(path: Path, hashes: list[str]) -> TokenLookup:
    def lookup(positions: Sequence[int]) -> list[list[str]]:
        wanted = [hashes[i] for i in positions]
        with closing(sqlite3.connect(path)) as db:
            found: dict[str, str] = {}
            for start in range(0, len(wanted), 500):  # SQLite caps the number of bound parameters
                batch = wanted[start : start + 500]
                marks = ",".join("?" * len(batch))
                found.update(db.execute(f"SELECT hash, tokens FROM tokens WHERE hash IN ({marks})", batch))
        return [found.get(h, "").split() for h in wanted]

    return lookup


def _tokens(path: Path, chunks: Sequence[Chunk], lexicon: Lexicon) -> tuple[list[list[str]], LexicalReport]:
    """Tokens of every chunk: cached ones reused, the rest computed and cached; stale entries dropped."""
    version = lexicon.domain.fingerprint  # the word lists that shape tokens: cached tokens of others are stale
    with closing(sqlite3.connect(path)) as db, db:
        db.execute("CREATE TABLE IF NOT EXISTS tokens (hash TEXT PRIMARY KEY, version TEXT, tokens TEXT)")
        cached = dict(db.execute("SELECT hash, tokens FROM tokens WHERE version = ?", (version,)))
        fresh = {
            c.content_hash: " ".join(lexicon.tokens(c.embedding_text)) for c in chunks if c.content_hash not in cached
        }
        db.executemany("INSERT OR REPLACE INTO tokens VALUES (?, ?, ?)", [(h, version, t) for h, t in fresh.items()])
        wanted = {c.content_hash for c in chunks}
        stale = [(h,) for h in cached if h not in wanted]
        db.executemany("DELETE FROM tokens WHERE hash = ?", stale)
        db.execute("DELETE FROM tokens WHERE version != ?", (version,))
    every = {**cached, **fresh}
    tokens = [every[c.content_hash].split() for c in chunks]
    return tokens, LexicalReport(tokenized=len(fresh), reused=len(chunks) - len(fresh))
