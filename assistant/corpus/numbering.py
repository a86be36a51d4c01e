"""How official documents number their sections, and how questions name them: one module for both.

Two schemes (GB/T 9704 practice): work plans number parts 一、 and items （一）, with 1. and （1） as text inside an
item; regulations number chapters 第X章 and articles 第X条. Section ids are the document's own numbers: ``二``,
``二（三）``, ``第十三条``. Any count is read (十一、, （十二）, 第一百零二条), not only the first few.
"""

from __future__ import annotations

import re

DIGITS = "一二三四五六七八九"
# every character of a Chinese count up to the hundreds (十一, 二十三, 一百零二)
NUMERAL = f"[{DIGITS}十百零〇两]+"

PART_HEADING = re.compile(rf"^({NUMERAL})、(.+)$")
ITEM_HEADING = re.compile(rf"^（({NUMERAL})）(.+)$")
CHAPTER_HEADING = re.compile(rf"^(第{NUMERAL}章)[\s　]*(.*)$")
ARTICLE_HEADING = re.compile(rf"^(第{NUMERAL}条)[\s　]*")
HEADINGS = (PART_HEADING, ITEM_HEADING, CHAPTER_HEADING, ARTICLE_HEADING)

# a question naming a section: 第三部分第四条, 第3部分, 三（二）, 五、(七), part 2 item 3, 第十三条
_POSITION = rf"{NUMERAL}|\d{{1,3}}"
_PART_ITEM = re.compile(
    rf"第\s*({_POSITION})\s*(?:部分|大项|章)(?:\s*(?:的|中的)?\s*第\s*({_POSITION})\s*(?:条|项|点|小项))?"
)
_COMPACT = re.compile(rf"({NUMERAL})\s*[、.]?\s*[（(]\s*({NUMERAL})\s*[)）]")
_ENGLISH = re.compile(r"\bpart\s*(\d{1,3})(?:\W+(?:item|point|section)\s*(\d{1,3}))?", re.IGNORECASE)
_ARTICLE = re.compile(rf"第{NUMERAL}[章条]")


def value(numeral: str) -> int:
    """``value("二十三") == 23``, ``value("一百零二") == 102``, ``value("7") == 7``; 0 for what is no count."""
    if numeral.isdigit():
        return int(numeral)
    total, digit = 0, 0
    for char in numeral.replace("两", "二"):
        if char in DIGITS:
            digit = DIGITS.index(char) + 1
        elif char == "十":
            total += (digit or 1) * 10
            digit = 0
        elif char == "百":
            total += (digit or 1) * 100
            digit = 0
        elif char not in "零〇":
            return 0
    return total + digit


def numeral(number: int) -> str:
    """``numeral(23) == "二十三"``, as documents write counts below a thousand (十一, not 一十一)."""
    if not 0 < number < 1000:
        raise ValueError(f"no section is numbered {number}")
    hundreds, rest = divmod(number, 100)
    tens, units = divmod(rest, 10)
    text = DIGITS[hundreds - 1] + "百" if hundreds else ""
    if tens:
        text += ("一" if hundreds else "") + "十" if tens == 1 else DIGITS[tens - 1] + "十"
    elif hundreds and units:
        text += "零"
    return text + (DIGITS[units - 1] if units else "")


def section_id(part: int, item: int | None = None) -> str:
    """``section_id(2, 3) == "二（三）"``, from arabic positions."""
    return numeral(part) if item is None else f"{numeral(part)}（{numeral(item)}）"


def section_candidates(question: str) -> list[str]:
    """Section ids the question names explicitly, in order of mention, whichever document has them."""
    found: list[str] = []
    for pattern in (_PART_ITEM, _COMPACT, _ENGLISH):
        for match in pattern.finditer(question):
            part = value(match.group(1))
            item = value(match.group(2)) if match.group(2) else None
            if 0 < part < 1000 and (item is None or 0 < item < 1000):
                found.append(section_id(part, item))
    # Regulations number chapters and articles as their ids say: 第二章, 第十三条 (but the 第四条 of 第三部分第四条 is
    # an item of a part).
    found += _ARTICLE.findall(_PART_ITEM.sub(lambda m: " " if m.group(2) else m.group(0), question))
    return list(dict.fromkeys(found))


def without_section_references(question: str) -> str:
    """``question`` with the sections it names (第三部分第四条, 二（三）, part 2 item 2) taken out."""
    for pattern in (_PART_ITEM, _COMPACT, _ENGLISH, _ARTICLE):
        question = pattern.sub(" ", question)
    return question
