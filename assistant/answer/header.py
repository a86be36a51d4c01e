"""What a document says of itself: who issued it, when, its 文号, to whom. Read from its 文头, line by line, so a
question about the document is answered from the document, whatever notice it is."""

from __future__ import annotations

from assistant.corpus.parsing import MASTHEAD_LABELS
from assistant.corpus.records import Section

# the details a question about a document may ask: its issuer (who), its date (date, time), its 文号 (figure), its
# title (name)
DOCUMENT_DETAILS = frozenset({"who", "date", "time", "figure", "name"})


def card(header: Section) -> list[str]:
    """The 文头's lines, each named by the first label whose pattern it matches (发文单位, 文号, 日期 …), once each:
    an issuer printed above the title and again above the date is one line."""
    lines: list[str] = []
    for sentence in header.sentences:
        text = sentence.text.strip().rstrip("。")
        label = next((name for name, pattern in MASTHEAD_LABELS if pattern.search(text)), "")
        line = f"{label}：{text.rstrip('：:')}" if label else text
        if line not in lines:
            lines.append(line)
    return lines
