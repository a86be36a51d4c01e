"""Distractor notices for the scale benchmark: ``python -m evals.distractors N OUT_DIR``.

Realistic but different official documents — other districts, other years, work plans (一、/（一）) and
regulations (第X章/第X条) — built from templates and the domain's vocabulary, never from the Jiading notice's
sentences. Deterministic for a given seed. Each notice is a ``.txt`` with its ``.meta.json``.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

DISTRICTS = [
    "浦东新区",
    "闵行区",
    "徐汇区",
    "宝山区",
    "松江区",
    "青浦区",
    "奉贤区",
    "金山区",
    "静安区",
    "杨浦区",
    "普陀区",
    "长宁区",
    "虹口区",
    "黄浦区",
    "崇明区",
]
ISSUERS = ["科学技术委员会", "经济委员会", "发展和改革委员会", "人力资源和社会保障局", "教育局", "商务委员会"]
YEARS = [2021, 2022, 2023, 2024, 2026]
ACTIONS = ["推动", "加快", "深化", "支持", "引导", "完善", "培育", "建设", "优化", "落实", "鼓励", "探索"]
OBJECTS = [
    "产学研合作",
    "企业技术中心",
    "公共服务平台",
    "创新创业载体",
    "知识产权保护",
    "科技金融服务",
    "人才公寓建设",
    "数字化转型",
    "绿色低碳技术",
    "智能制造示范",
    "专精特新企业",
    "首台套装备",
    "产业园区更新",
    "双碳试点",
    "质量标准体系",
    "开放创新联盟",
    "技术转移机构",
    "工业互联网平台",
    "检验检测服务",
    "创业投资引导",
]
FIELDS = [
    "人工智能",
    "新能源汽车",
    "高端装备",
    "新材料",
    "数字经济",
    "现代农业",
    "文化创意",
    "航空航天",
    "医疗器械",
    "绿色能源",
    "智能网联",
    "软件信息服务",
]
UNITS = [("家", 20, 900), ("个", 3, 60), ("亿元", 5, 500), ("项", 5, 200), ("名", 50, 3000)]
PART_TITLES = [
    "强化创新策源能力",
    "提升产业发展能级",
    "优化创新生态环境",
    "加强人才队伍建设",
    "推进开放协同创新",
    "夯实科技服务支撑",
]
CHAPTERS = ["总则", "申报与认定", "支持措施", "管理与监督", "附则"]
NUMERALS = "一二三四五六七八九十"


def _numeral(n: int) -> str:
    return NUMERALS[n - 1] if n <= 10 else "十" + NUMERALS[n - 11]


def _sentence(rng: random.Random, district: str, year: int) -> str:
    action, target, field = rng.choice(ACTIONS), rng.choice(OBJECTS), rng.choice(FIELDS)
    if rng.random() < 0.4:
        unit, low, high = rng.choice(UNITS)
        return f"{action}{field}领域{target}，到 {year} 年底力争达到 {rng.randint(low, high)} {unit}。"
    return f"围绕{field}等重点方向，{action}{target}，提升{district}{rng.choice(OBJECTS)}水平。"


def work_plan(rng: random.Random, district: str, year: int, issuer: str) -> tuple[str, str]:
    title = f"{year}年{district}{rng.choice(['科技创新', '产业发展', '人才发展'])}工作要点"
    lines = [
        f"上海市{district}{issuer}",
        f"{district[:2]}科〔{year}〕{rng.randint(1, 30)}号",
        title,
        f"{year} 年，{district}坚持创新驱动发展，" + _sentence(rng, district, year),
    ]
    for part in range(1, rng.randint(3, 5)):
        lines.append(f"{_numeral(part)}、{rng.choice(PART_TITLES)}")
        for item in range(1, rng.randint(2, 4)):
            lines.append(f"（{_numeral(item)}）{rng.choice(ACTIONS)}{rng.choice(OBJECTS)}")
            lines.append("".join(_sentence(rng, district, year) for _ in range(rng.randint(2, 4))))
    return title, "\n\n".join(lines) + "\n"


def regulation(rng: random.Random, district: str, year: int, issuer: str) -> tuple[str, str]:
    title = f"{district}{rng.choice(OBJECTS)}管理办法"
    lines = [title]
    article = 0
    for chapter, name in enumerate(CHAPTERS[: rng.randint(3, 5)], 1):
        lines.append(f"第{_numeral(chapter)}章　{name}")
        for _ in range(rng.randint(1, 3)):
            article += 1
            lines.append(f"第{_numeral(article)}条　" + _sentence(rng, district, year))
    lines.append(f"本办法由{district}{issuer}负责解释，自 {year} 年 {rng.randint(1, 12)} 月 1 日起施行。")
    return title, "\n\n".join(lines) + "\n"


def generate(count: int, out: Path, seed: int = 2025) -> list[Path]:
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(count):
        district, year, issuer = rng.choice(DISTRICTS), rng.choice(YEARS), rng.choice(ISSUERS)
        title, text = (work_plan if rng.random() < 0.6 else regulation)(rng, district, year, issuer)
        path = out / f"distractor-{n:05d}.txt"
        path.write_text(text, encoding="utf-8")
        meta = {
            "title": title,
            "short_title": title[:12],
            "doc_number": "",
            "issuer": f"上海市{district}{issuer}",
            "date": f"{year}-06-01",
            "version": "1",
        }
        path.with_suffix(".meta.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evals.distractors")
    parser.add_argument("count", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=2025)
    args = parser.parse_args(argv)
    print(f"{len(generate(args.count, args.out, args.seed))} distractor notices written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
