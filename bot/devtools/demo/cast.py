"""Who and where in the demo: the office, the members, the units' contacts, the QQ groups, and the
roster file the office imports before the day starts."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

    from bot.devtools.onebot_sim import OneBotSimulator

#: The bot account's QQ number in the demo.
SELF_ID = 80_000


@dataclass(frozen=True)
class Person:
    qq: int
    name: str
    role: str  # 机关 / 委员 / 承办单位 (the transcript's colour)
    sector: str = ""
    post: str = ""  # 职务

    @property
    def card(self) -> str:
        """The group card offices ask members to use (`农业界-张三`)."""
        return f"{self.sector}-{self.name}" if self.sector else self.name


@dataclass(frozen=True)
class Group:
    group_id: int
    name: str
    label: str  # how the transcript names the place


DIRECTOR = Person(10001, "陈主任", "机关")  # the office's superuser
CLERK = Person(30001, "王秘书", "机关")
ZHANG = Person(20001, "张三", "委员", "农业界", "常委")
LI = Person(20002, "李四", "委员", "农业界")
WANG = Person(20003, "王五", "委员", "教育界")
ZHAO = Person(20004, "赵六", "委员", "医药卫生界")
QIAN = Person(20005, "钱七", "委员", "经济界")
HOUSING = Person(40001, "住建局小刘", "承办单位")
EDUCATION = Person(40002, "教育局小周", "承办单位")

MEMBERS = (ZHANG, LI, WANG, ZHAO, QIAN)
EVERYONE = (DIRECTOR, CLERK, *MEMBERS, HOUSING, EDUCATION)

WHOLE = Group(600_001, "县政协全体委员", "全体群")
SECTOR = Group(600_002, "县政协农业界委员", "农业界群")
STAFF = Group(600_003, "县政协机关", "机关群")
UNITS = Group(600_004, "县政协承办单位联络", "承办单位群")
GROUPS = (WHOLE, SECTOR, STAFF, UNITS)

#: Who sits in which group.
SEATS: dict[Group, tuple[Person, ...]] = {
    WHOLE: (DIRECTOR, CLERK, *MEMBERS),
    SECTOR: (DIRECTOR, ZHANG, LI),
    STAFF: (DIRECTOR, CLERK),
    UNITS: (CLERK, HOUSING, EDUCATION),
}


def by_name(name: str) -> Person:
    for person in EVERYONE:
        if person.name == name:
            return person
    raise KeyError(name)


def by_qq(qq: int | None) -> Person | None:
    return next((p for p in EVERYONE if p.qq == qq), None)


def group_of(group_id: int | None) -> Group | None:
    return next((g for g in GROUPS if g.group_id == group_id), None)


def populate(sim: OneBotSimulator) -> None:
    """The QQ world the bot account lives in: its groups, their members, its friends."""
    for group in GROUPS:
        sim.add_group(group.group_id, group.name)
        for person in SEATS[group]:
            sim.add_member(group.group_id, person.qq, nickname=person.name, card=person.card)
    for person in EVERYONE:
        sim.add_friend(person.qq, person.name)


def write_roster(path: Path) -> Path:
    """The roster the office keeps in a spreadsheet (here a .csv: 姓名, QQ, 界别, 职务, 专委会)."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["姓名", "QQ", "界别", "职务", "专委会"])
        for person in MEMBERS:
            writer.writerow([person.name, person.qq, person.sector, person.post, ""])
    return path
