"""Realistic texts for synthetic records, from the topic vocabulary in ``vocabulary.toml``.

~1,400 matters (object x aspect, e.g. 农村生活污水治理 x 运维管护): every matter has dozens of
near-duplicates worded differently, and matters sharing an object or a domain make "same broad
area" neighbours, as in a real county's years of proposals. Pure functions of a
``random.Random``: the same seed gives the same texts.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    import random

_VOCABULARY = tomllib.loads(
    (Path(__file__).with_name("vocabulary.toml")).read_text(encoding="utf-8")
)

#: domain -> (shared domain words, {object: object-specific words})
DOMAINS: dict[str, tuple[list[str], dict[str, list[str]]]] = {
    name: (domain["words"], domain["objects"]) for name, domain in _VOCABULARY["domains"].items()
}
ASPECTS: dict[str, list[str]] = _VOCABULARY["aspects"]
TITLE_VERBS: list[str] = _VOCABULARY["title_verbs"]
PROBLEM_PHRASES: list[str] = _VOCABULARY["problem_phrases"]
FILLER: list[str] = _VOCABULARY["filler"]
ACTIONS: list[str] = _VOCABULARY["actions"]
TOWNS = [
    a + b
    for a in "白黄青石龙凤马新高长清桃花柳金银"
    for b in ("沙镇", "河乡", "山镇", "桥镇", "坪乡")
]
TOPIC_FORMS = ["专题协商", "常委会议协商", "主席会议视察", "对口协商", "调研"]

Matter = tuple[str, str]
"""(object, aspect)"""


class Doc(NamedTuple):
    matter: Matter
    title: str
    body: str


def all_matters() -> list[Matter]:
    return [(obj, aspect) for _, objs in DOMAINS.values() for obj in objs for aspect in ASPECTS]


def domain_of(obj: str) -> str:
    return next(name for name, (_, objects) in DOMAINS.items() if obj in objects)


def _pick(rng: random.Random, words: list[str], n: int) -> list[str]:
    return rng.sample(words, min(n, len(words)))


def _sentence(
    rng: random.Random, obj_words: list[str], aspect_words: list[str], domain_words: list[str]
) -> str:
    a, b = _pick(rng, obj_words, 2)
    c = rng.choice(aspect_words)
    d = rng.choice(domain_words)
    return rng.choice(
        [
            f"{rng.choice(FILLER)}，{rng.choice(TOWNS)}{a}{rng.choice(PROBLEM_PHRASES)}，"
            f"{b}和{c}方面的矛盾尤其明显。",
            f"全县共有{d}{rng.randint(10, 900)}个，{a}覆盖率仅{rng.randint(20, 80)}%，"
            f"{c}不到位，{b}{rng.choice(PROBLEM_PHRASES)}。",
            f"{rng.choice(FILLER)}，{d}对{a}的需求日益增长，但{c}跟不上，"
            f"{rng.choice(TOWNS)}等地{b}问题反复出现。",
            f"造成这一局面的原因主要是{c}没有落实，{rng.choice(aspect_words)}不足，"
            f"{a}与{b}衔接不够。",
        ]
    )


def make_doc(
    rng: random.Random, obj: str, aspect: str, *, sentences: tuple[int, int] = (8, 18)
) -> Doc:
    """A proposal (提案): title, then 情况/分析 sentences and 建议 with numbered measures."""
    domain_words, objects = DOMAINS[domain_of(obj)]
    obj_words = objects[obj]
    aspect_words = ASPECTS[aspect]
    title = f"关于{rng.choice(TITLE_VERBS)}{obj}{rng.choice(['', aspect])}的建议"
    body_sentences = [
        _sentence(rng, obj_words, aspect_words, domain_words)
        for _ in range(rng.randint(*sentences))
    ]
    measures = []
    for number in "一二三四五"[: rng.randint(3, 5)]:
        measures.append(
            f"{number}是{rng.choice(ACTIONS)}{rng.choice(aspect_words)}，"
            f"{rng.choice(ACTIONS)}{rng.choice(obj_words)}{rng.choice(['机制', '制度', '措施', ''])}，"
            f"由{rng.choice(domain_words)}相关责任单位牵头，{rng.choice(ACTIONS)}"
            f"{rng.choice(aspect_words)}和{rng.choice(obj_words)}工作，力争{rng.randint(1, 3)}年内见效"
        )
    body = "".join(body_sentences) + "建议：" + "；".join(measures) + "。"
    return Doc((obj, aspect), title, body)


def reword(rng: random.Random, doc: Doc) -> Doc:
    """A member re-submitting an earlier proposal: same matter, half the sentences rewritten."""
    fresh = make_doc(rng, *doc.matter)
    old = doc.body.split("。")
    new = fresh.body.split("。")
    mixed = [o if rng.random() < 0.5 else n for o, n in zip(old, new, strict=False)]
    return Doc(doc.matter, rng.choice([doc.title, fresh.title]), "。".join(mixed))


def make_opinion(rng: random.Random, obj: str, aspect: str) -> Doc:
    """An opinion lead (社情民意信息): one matter, title + 情况 + 建议, well under 1,500 characters."""
    doc = make_doc(rng, obj, aspect, sentences=(3, 7))
    town = rng.choice(TOWNS)
    title = rng.choice(
        [
            f"{town}{obj}{aspect}问题亟待重视",
            f"关于{obj}中{aspect}方面问题的情况反映",
            f"群众反映{town}{obj}存在困难",
        ]
    )
    return Doc(doc.matter, title, doc.body)


def make_topic(rng: random.Random, obj: str, aspect: str) -> Doc:
    """A suggested consultation topic (议题): one or two sentences."""
    title = f"建议将“{obj}{aspect}”列为{rng.choice(TOPIC_FORMS)}议题"
    words = ASPECTS[aspect]
    body = (
        f"{rng.choice(FILLER)}，{obj}中{rng.choice(words)}和{rng.choice(words)}问题群众关注度高，"
        f"建议政协组织{rng.choice(TOPIC_FORMS)}，推动{rng.choice(ACTIONS)}相关政策。"
    )
    return Doc((obj, aspect), title, body)
