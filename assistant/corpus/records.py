"""Corpus stage: the records — a notice is a tree of sections made of sentences; a corpus is all notices.

Documents are read from disk by ``files.py`` and parsed by ``parsing.py``. Section ids are unique within a
document; a chunk or a citation names both (``doc``, ``section_id``).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property

# 上海市静安区科学技术委员会 → 静安区: the area a local body's documents are about
_AREA = re.compile(r"(?:省|市)([\u4e00-\u9fff]{2,3}?[区县])")
_YEAR = re.compile(r"(?:19|20)\d\d")
HEADER_ID = "文头"
PREAMBLE_ID = "总体要求"


def is_topic_opener(text: str, topic: str) -> bool:
    """A sub-topic opener such as "生物医药产业方面。" heads sentences; it is not evidence."""
    return bool(topic) and text.rstrip("。") == topic


@dataclass(frozen=True)
class Sentence:
    text: str
    start: int  # offsets into the original file
    end: int
    topic: str = ""

    @property
    def is_evidence(self) -> bool:
        return not is_topic_opener(self.text, self.topic)


@dataclass
class Section:
    id: str
    part: str  # id of the enclosing part or chapter ("" for top-level sections)
    title: str
    label: str  # as the notice numbers itself: 二、（三）以服务加快创新主体培育 / 第二章 认定 / 第三条
    level: int  # 0 文头/总体要求, 1 part or chapter, 2 item or article
    text: str = ""
    sentences: list[Sentence] = field(default_factory=list)
    children: list[str] = field(default_factory=list)

    @property
    def is_item(self) -> bool:
        return self.level == 2

    def citation(self) -> str:
        return self.label

    def breadcrumb(self, document: Notice) -> list[str]:
        if self.part and self.part != self.id:
            return [document.title, document.sections[self.part].citation(), self.citation()]
        return [document.title, self.citation()]

    def heading_path(self, document: Notice, topic: str = "") -> str:
        """``二、… > 二、（三）…[ > sub-topic]``: what an embedded text is prefixed with."""
        return " > ".join(self.breadcrumb(document)[1:] + ([topic] if topic else []))

    def embedding_text(self, document: Notice) -> str:
        return self.heading_path(document) + "\n" + self.text


@dataclass
class Notice:
    title: str
    metadata: dict[str, str]
    original: str
    sections: dict[str, Section]
    id: str = "notice"  # the file name without its suffix: stable, and what a scope filter names
    source: str = ""  # the file it was read from, by its name in the corpus folder (the web page offers it)

    @property
    def short_title(self) -> str:
        return self.metadata.get("short_title") or self.title

    @property
    def date(self) -> str:
        return self.metadata.get("date", "")

    @property
    def doc_number(self) -> str:
        return self.metadata.get("doc_number", "")

    @property
    def area(self) -> str:
        """The district the document is about (``area`` in its metadata, else read from its issuer), or ""."""
        if area := self.metadata.get("area"):
            return area
        found = _AREA.search(self.metadata.get("issuer", "") or self.title)
        return found.group(1) if found else ""

    @property
    def year(self) -> str:
        """The year the document is for: the first year in its title, else its date's."""
        found = _YEAR.search(self.title) or _YEAR.search(self.date)
        return found.group() if found else ""

    def reference(self) -> str:
        """How a citation names the document: 《静安区2025科创工作要点》（静科〔2025〕4号，2025-03-31）."""
        details = "，".join(d for d in (self.doc_number, self.date) if d)
        return f"《{self.short_title}》" + (f"（{details}）" if details else "")

    def names(self) -> list[str]:
        """What a user may call the document by: id, title, short title, 文号."""
        return [n for n in (self.id, self.title, self.short_title, self.doc_number) if n]

    @cached_property
    def content_hash(self) -> str:
        payload = json.dumps([self.id, self.metadata, self.original], ensure_ascii=False, sort_keys=True)
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()

    def mentions(self, terms: Iterable[str]) -> dict[str, list[Sentence]]:
        """Section id → its evidence sentences naming any of ``terms`` (or under a sub-topic that does)."""
        wanted = [t.lower() for t in terms]
        found: dict[str, list[Sentence]] = {}
        for section in self.sections.values():
            hits = [
                s for s in section.sentences if s.is_evidence and any(t in (s.topic + s.text).lower() for t in wanted)
            ]
            if hits:
                found[section.id] = hits
        return found

    def section_for_label(self, label: str) -> Section | None:
        return next((s for s in self.sections.values() if s.citation() == label), None)

    @cached_property
    def words(self) -> str:
        """Titles and text, lower-cased: what "the document uses this word" is checked against."""
        return "".join(s.title + s.text for s in self.sections.values()).lower()


class UnknownDocument(ValueError):
    pass


@dataclass
class Corpus:
    """All documents, by id, in file-name order."""

    documents: dict[str, Notice]

    @classmethod
    def of(cls, *notices: Notice) -> Corpus:
        return cls({n.id: n for n in notices})

    @cached_property
    def content_hash(self) -> str:
        digest = hashlib.sha256()
        for document in self.documents.values():
            digest.update(document.content_hash.encode())
        return digest.hexdigest()

    def section(self, doc: str, section_id: str) -> Section:
        return self.documents[doc].sections[section_id]

    def resolve(self, names: Iterable[str]) -> list[str]:
        """Document ids for names a user gave (id, title, short title or 文号); unknown names are an error."""
        ids: list[str] = []
        for name in names:
            wanted = name.strip()
            found = [d.id for d in self.documents.values() if wanted in d.names()]
            if not found:
                known = "、".join(d.id for d in list(self.documents.values())[:20])
                raise UnknownDocument(f"没有名为“{wanted[:60]}”的文件。可选：{known}")
            ids += [d for d in found if d not in ids]
        return ids

    def named_in(self, question: str) -> list[str]:
        """Documents a question names by title, short title or 文号 (the id is too technical to count)."""
        return [d.id for d in self.documents.values() if any(n in question for n in d.names()[1:])]

    def scoped(self, scope: Sequence[str] | None) -> list[Notice]:
        return [self.documents[d] for d in scope] if scope else list(self.documents.values())

