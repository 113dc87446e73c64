"""Synthetic people and places: members in every sector, staff, units with contacts, groups."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import random
    from datetime import datetime

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝"
)
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰建国文斌宇浩凯鹏辉红梅海波志林晓燕"

MEMBER_ID_BASE = 20_000_000
STAFF_ID_BASE = 30_000_000
CONTACT_ID_BASE = 40_000_000
WHOLE_GROUP = "800000001"
STAFF_GROUP = "800000002"
UNIT_GROUP = "800000003"
SECTOR_GROUP_BASE = 810_000_000
BOUND_BY = "10001"

#: The lead unit of each domain of the vocabulary, and units that often assist.
DOMAIN_UNITS: dict[str, list[str]] = {
    "农村环境": ["农业农村局", "生态环境局", "住房和城乡建设局"],
    "生态环保": ["生态环境局", "水利局", "自然资源和规划局"],
    "教育": ["教育局", "人力资源和社会保障局"],
    "卫生健康": ["卫生健康委员会", "医疗保障局", "市场监督管理局"],
    "养老托育": ["民政局", "卫生健康委员会", "妇女联合会"],
    "城市建设": ["住房和城乡建设局", "城市管理局", "交通运输局", "自然资源和规划局"],
    "营商环境": ["发展和改革委员会", "市场监督管理局", "行政审批服务局", "商务局"],
    "三农产业": ["农业农村局", "乡村振兴局", "林业局", "供销合作社"],
    "文化旅游": ["文化广电和旅游局", "体育局", "文物局"],
    "社会治理": ["公安局", "司法局", "信访局", "应急管理局"],
    "就业社保": ["人力资源和社会保障局", "残疾人联合会", "总工会", "医疗保障局"],
}
ASSISTING = ["财政局", "发展和改革委员会", "统计局", "数据资源局"]
#: 五位一体 categories (data/categories.toml) of each domain.
DOMAIN_CATEGORY = {
    "农村环境": "生态文明建设",
    "生态环保": "生态文明建设",
    "教育": "社会建设",
    "卫生健康": "社会建设",
    "养老托育": "社会建设",
    "城市建设": "经济建设",
    "营商环境": "经济建设",
    "三农产业": "经济建设",
    "文化旅游": "文化建设",
    "社会治理": "政治建设",
    "就业社保": "社会建设",
}


@dataclass(frozen=True)
class Person:
    user_id: str
    name: str
    sector: str | None = None


@dataclass
class People:
    """Who the synthetic records are by and for."""

    members: list[Person]
    staff: list[Person]
    units: dict[str, int]  # name -> id
    contacts: dict[int, list[Person]]  # unit id -> contacts
    sector_groups: dict[str, str]  # sector -> group id
    rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # table -> rows


def _names(rng: random.Random, count: int) -> list[str]:
    names: list[str] = []
    seen: set[str] = set()
    while len(names) < count:
        name = rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.choice((1, 2, 2))))
        if name in seen and rng.random() < 0.9:
            continue  # a few namesakes, as in a real roster
        seen.add(name)
        names.append(name)
    return names


def _unit_names() -> list[str]:
    return list(dict.fromkeys([u for units in DOMAIN_UNITS.values() for u in units] + ASSISTING))


def make_people(
    rng: random.Random, sectors: list[str], members: int, staff: int, now: datetime
) -> People:
    """Members spread over ``sectors`` (unevenly, as in a real roster), staff, units, groups."""
    weights = [rng.uniform(0.4, 2.0) for _ in sectors]
    names = _names(rng, members + staff)
    people = [
        Person(str(MEMBER_ID_BASE + i), names[i], rng.choices(sectors, weights)[0])
        for i in range(members)
    ]
    office = [Person(str(STAFF_ID_BASE + i), names[members + i]) for i in range(staff)]
    units = {name: i for i, name in enumerate(_unit_names(), start=1)}
    contacts: dict[int, list[Person]] = {}
    serial = 0
    for unit_id in units.values():
        contacts[unit_id] = []
        for _ in range(rng.choice((1, 1, 2))):
            serial += 1
            contacts[unit_id].append(Person(str(CONTACT_ID_BASE + serial), _names(rng, 1)[0]))
    groups = {sector: str(SECTOR_GROUP_BASE + i) for i, sector in enumerate(sectors, start=1)}
    result = People(people, office, units, contacts, groups)
    result.rows = _rows(result, now)
    return result


def _rows(people: People, now: datetime) -> dict[str, list[dict[str, Any]]]:
    member_rows = [
        {"platform": "qq", "user_id": p.user_id, "name": p.name, "sector": p.sector,
         "title": None, "committee": None, "is_member": True, "is_staff": False, "active": True,
         "source": "roster", "created_at": now, "updated_at": now}
        for p in people.members
    ] + [
        {"platform": "qq", "user_id": p.user_id, "name": p.name, "sector": None, "title": None,
         "committee": None, "is_member": False, "is_staff": True, "active": True,
         "source": "roster", "created_at": now, "updated_at": now}
        for p in people.staff
    ]  # fmt: skip
    unit_rows = [
        {"id": unit_id, "name": name, "aliases": "", "active": True, "created_at": now}
        for name, unit_id in people.units.items()
    ]
    contact_rows = [
        {"unit_id": unit_id, "platform": "qq", "user_id": c.user_id, "name": c.name,
         "created_at": now}
        for unit_id, contacts in people.contacts.items()
        for c in contacts
    ]  # fmt: skip
    bindings = [(WHOLE_GROUP, "whole", None, "全体委员群"), (STAFF_GROUP, "staff", None, "机关群"),
                (UNIT_GROUP, "unit", None, "承办单位群")]  # fmt: skip
    bindings += [
        (gid, "sector", sector, f"{sector}委员群") for sector, gid in people.sector_groups.items()
    ]
    binding_rows = [
        {"platform": "qq", "group_id": gid, "kind": kind, "sector": sector, "group_name": name,
         "bound_by": BOUND_BY, "bound_at": now}
        for gid, kind, sector, name in bindings
    ]  # fmt: skip
    return {
        "member": member_rows,
        "unit": unit_rows,
        "unit_contact": contact_rows,
        "channel_binding": binding_rows,
    }
