"""Corpus files → notices: ``.txt``, ``.md``, ``.docx`` and text ``.pdf`` documents, each with an optional
``.meta.json`` beside it (title, short title, 文号, issuer, date, version).
"""

from __future__ import annotations

import dataclasses
import json
import logging
import unicodedata
from pathlib import Path

from assistant.corpus.numbering import HEADINGS
from assistant.corpus.parsing import SENTENCE_END, masthead, parse
from assistant.corpus.records import Corpus, Notice

log = logging.getLogger(__name__)

SUFFIXES = (".txt", ".md", ".docx", ".pdf")
META_SUFFIX = ".meta.json"
# A PDF line at least this share of the page's longest line ran to the margin: the next line may continue it.
WRAPPED_SHARE = 0.8


def read_text(path: Path) -> str:
    """The document's text. For .docx and .pdf that is the extracted text, which citation offsets then refer to."""
    if path.suffix == ".docx":
        from docx import Document

        return "\n\n".join(p.text for p in Document(str(path)).paragraphs)
    if path.suffix == ".pdf":
        from pypdf import PdfReader

        return "\n\n".join(_unwrap(_radicals(page.extract_text() or "")) for page in PdfReader(path).pages)
    return path.read_text(encoding="utf-8")


def _radicals(text: str) -> str:
    """PDF fonts often map 一, 人, 月 … to look-alike Kangxi radicals (⼀ ⼈ ⽉); back to the ideographs. (Only those:
    NFKC on everything would also turn full-width punctuation into ASCII.)"""
    return "".join(unicodedata.normalize("NFKC", c) if "\u2e80" <= c <= "\u2fdf" else c for c in text)


def _width(line: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)


def _unwrap(page: str) -> str:
    """A PDF page's lines rejoined into paragraphs: a line continues the one before when that one ran to the full
    width without ending a sentence, and this one is not a heading. (The parser rejoins paragraphs cut by the page
    break itself.)"""
    lines = [line.strip() for line in page.splitlines() if line.strip()]
    full = max((_width(line) for line in lines), default=0)
    paragraphs: list[str] = []
    for line in lines:
        heading = any(p.match(line) for p in HEADINGS)
        previous = paragraphs[-1] if paragraphs else ""
        wrapped = _width(previous.rsplit("\n", 1)[-1]) >= WRAPPED_SHARE * full and previous[-1] not in SENTENCE_END
        if previous and wrapped and not heading:
            # the line break took the place of a space between a figure and a word (资助 20 万元)
            latin = previous[-1].isascii() and previous[-1].isalnum(), line[0].isascii() and line[0].isalnum()
            paragraphs[-1] += ("\n " if latin[0] != latin[1] else "\n") + line
        else:
            paragraphs.append(line)
    return "\n\n".join(p.replace("\n", "") for p in paragraphs)


def load_document(path: Path) -> Notice:
    """One document. What its ``.meta.json`` does not give (title, 文号, issuer, date) is read from its 文头."""
    original = read_text(path)
    meta_path = path.with_name(path.stem + META_SUFFIX)
    read = masthead(original)
    if meta_path.exists():
        metadata = {**read, **{k: str(v) for k, v in json.loads(meta_path.read_text(encoding="utf-8")).items()}}
    else:
        metadata = read or {"title": path.stem}
        log.info("%s has no %s: %s read from its 文头", path.name, META_SUFFIX, "、".join(metadata))
    if not metadata.get("title"):
        raise ValueError(f"{meta_path}: a document needs a title")
    return dataclasses.replace(parse(original, metadata, path.stem), source=path.name)


def signature(corpus_dir: Path) -> tuple[tuple[str, int, int], ...]:
    """Name, size and modification time of every corpus file and its metadata: what a change changes."""
    if not corpus_dir.is_dir():
        return ()
    found = []
    for path in sorted(corpus_dir.iterdir()):
        if path.suffix in SUFFIXES or path.name.endswith(META_SUFFIX):
            try:
                stat = path.stat()
            except OSError:  # deleted meanwhile
                continue
            found.append((path.name, stat.st_size, stat.st_mtime_ns))
    return tuple(found)


# files already reported as skipped, as they were then (name, size, mtime): a watcher polling every few seconds
# reports each broken file once, not on every poll
_reported: set[tuple[str, int, int]] = set()


def _skip(path: Path, why: str) -> None:
    try:
        stat = path.stat()
        key = (str(path), stat.st_size, stat.st_mtime_ns)
    except OSError:
        key = (str(path), -1, -1)
    if key not in _reported:
        _reported.add(key)
        log.warning("%s skipped: %s", path.name, why)


def load(corpus_dir: Path) -> Corpus:
    """Every document (``.txt``, ``.md``, ``.docx``, text ``.pdf``) in ``corpus_dir`` (not in sub-folders), by name.

    A file with no text, or one that cannot be read or parsed (not UTF-8, a damaged .docx or .pdf, broken metadata), is
    skipped with one log line: the others are served. Only a folder with no usable document is an error.
    """
    if corpus_dir.exists() and not corpus_dir.is_dir():
        raise NotADirectoryError(f"CORPUS_DIR {corpus_dir} is a file, not a folder")
    paths = (
        sorted(p for p in corpus_dir.iterdir() if p.suffix in SUFFIXES and p.is_file()) if corpus_dir.is_dir() else []
    )
    if not paths:
        raise ValueError(f"no documents ({'/'.join(SUFFIXES)}) in {corpus_dir}")
    notices = []
    for path in paths:
        try:
            notice = load_document(path)
        except UnicodeDecodeError:
            _skip(path, "not UTF-8 text")
            continue
        except Exception as error:  # docx, pdf and json parsers each raise their own
            _skip(path, f"cannot be read ({error.__class__.__name__}: {str(error)[:80]})")
            continue
        if not any(section.sentences for section in notice.sections.values()):
            _skip(path, "no text")
            continue
        notices.append(notice)
    if not notices:
        raise ValueError(f"no readable documents in {corpus_dir}: every file was skipped (see the log)")
    return Corpus.of(*notices)
