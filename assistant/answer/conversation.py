"""Follow-ups: an elliptical or referring question is rewritten against the previous turn.

``那科技小巨人呢？`` after ``高新技术企业的目标是多少？`` becomes ``科技小巨人的目标是多少？``;
``这一条由谁牵头？`` is scoped to the section the previous answer cited; a question that names nothing the
documents know (``具体哪天开幕？``) is asked of the previous question's subject.
"""

from __future__ import annotations

import re
from itertools import pairwise

from assistant.answer.records import cited_labels
from assistant.corpus.numbering import section_candidates
from assistant.corpus.records import Corpus
from assistant.language.lexicon import Lexicon

History = list[tuple[str, str]]

_ELLIPSIS = re.compile(
    r"^(那么?|那末|还有|另外|再问一下|and|what about|how about)?\s*(?P<subject>.+?)\s*(呢|怎么样|如何)?\s*[?？]?$",
    re.IGNORECASE,
)
_REFERENCE = re.compile(
    r"这一?条|该条|这项|该项|这个措施|这部分|该部分|上面|上述|刚才|这么做|这样做|this (item|section|one)", re.IGNORECASE
)
# a question form: "那有没有升级的打算？" is a whole question about the previous subject, not a new subject
_ASKING = re.compile(
    r"吗|什么|啥|哪|多少|几|怎|如何|是否|有没有|是不是|能不能|谁|when|what|how|which|who|does|is there"
)
_MAX_ELLIPTICAL = 16
# a question whose nouns the documents use weigh less than this share of all its nouns (IDF) names a subject of its
# own: set by hand on dev (docs/eval)
OWN_SUBJECT = 0.5
# words for "with" that may open an elliptical subject (那跟上大呢？)
_WITH = "跟和与同"


def resolve(question: str, history: History, corpus: Corpus, lexicon: Lexicon) -> str:
    """The question to search with, given the conversation so far."""
    if not history:
        return question
    previous_question, previous_answer = history[-1]
    if _REFERENCE.search(question):
        # the documents the previous answer quoted (it names each above its quotes), else any
        cited = [d for d in corpus.documents.values() if d.reference() in previous_answer]
        found = [
            (notice, section)
            for label in cited_labels(previous_answer)
            for notice in cited or corpus.documents.values()
            if (section := notice.section_for_label(label))
        ]
        if found:
            notice, section = found[0]
            # with several documents, naming the title scopes the search to the one quoted
            title = f"{notice.title} " if len(corpus.documents) > 1 else ""
            return f"{title}{section.id} {_REFERENCE.sub('', question)}"
    if section_candidates(question):  # 三（一）讲了什么？ names its section: nothing before it is carried over
        return question
    known = "".join(d.words for d in corpus.documents.values())

    def names_something(text: str) -> bool:
        # a rare word the documents use, or one the glossary gives them (incubators), or two words they write
        # together (金融补贴); not common words alone (去年实际完成了多少？ asks of the previous subject)
        content = lexicon.content_words(text)
        words = [*content, *(w for e in lexicon.equivalents(text) for w in e.split() if len(w) > 1)]
        pairs = [a + b for a, b in pairwise(content) if a + b in text.lower()]
        if any(w in known and lexicon.specific(w) for w in words) or any(p in known for p in pairs):
            return True
        # or nouns of its own the documents never use, outweighing the common ones they do (哪家银行的经营贷利率最低？);
        # one naming no noun they use at all still asks of the previous subject (在哪个场馆办？)
        weights = {w: lexicon.idf(w) for w, tag in lexicon.tagged(text) if tag.startswith(("n", "vn"))}
        used = sum(weight for w, weight in weights.items() if w in known)
        return 0 < used < OWN_SUBJECT * sum(weights.values())

    match = _ELLIPSIS.match(question.strip())
    if match and len(question) <= _MAX_ELLIPTICAL and (match.group(1) or match.group(3)):
        subject = match.group("subject")
        if subject[0] in _WITH and subject not in known and len(subject) > 2 and subject[1:] in known:
            subject = subject[1:]  # 那跟上大呢？ asks of 上大 (not of 跟上, "to keep up"); 同济 keeps its 同
        if not _ASKING.search(subject.lower()):
            return _substitute(previous_question, subject, lexicon)
        question = subject  # "那有没有…的打算？": a whole question, perhaps about the previous subject
    if not names_something(question):
        return f"{_subject(previous_question, lexicon, known)}{question}"
    return question


def _substitute(previous: str, subject: str, lexicon: Lexicon) -> str:
    """``previous`` asked of ``subject``: what it was about taken out (its content words), how it asked kept
    (高新技术企业的认定目标是多少？ → 科技小巨人 的目标是多少？)."""
    lowered = previous.lower()
    for word in sorted(lexicon.content_words(previous), key=len, reverse=True):
        if word not in subject.lower():
            lowered = lowered.replace(word, " ")
    return f"{subject} {' '.join(lowered.split())}"


def _subject(previous: str, lexicon: Lexicon, known: str) -> str:
    """What ``previous`` was about: the stretch from its first to its last word the documents know, as themselves
    or through the glossary (长博会); nothing when it named none (这个文件的文号是多少？ asked of the document)."""
    lowered = previous.lower()
    words = [*lexicon.content_words(previous), *(phrase for phrase, _ in lexicon.glossed(previous)[0])]
    places = [(lowered.find(w), w) for w in words if w in lowered and (w in known or lexicon.equivalents(w))]
    if not places:
        return ""
    start = min(p for p, _ in places)
    end = max(p + len(w) for p, w in places)
    return previous[start:end] + " "
