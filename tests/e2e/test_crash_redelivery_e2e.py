"""Kill -9 in the middle of a burst, restart, and the client re-delivers every event with the
same message ids: every post is stored exactly once and every command's change applied exactly
once (a message counts as seen only together with what it caused: bot/core/seen.py)."""

from __future__ import annotations

import asyncio
from collections import Counter
from typing import TYPE_CHECKING

import pytest
from sqlmodel import col, func, select

from bot.core.db import Database
from bot.core.models import Cosign, CosignStatus, MessageLink, Record, RecordStatus, TimelineEntry
from bot.devtools.onebot_sim import OneBotSimulator
from tests.e2e.conftest import SUPERUSER

if TYPE_CHECKING:
    from bot.devtools.botprocess import BotProcess

GROUP = 558001
SELF_ID = 74_001
PROPOSER = 20100
MEMBERS = range(20101, 20131)  # 30 members: one post and one 附议 each
BULK = [2, 3, 4]  # 立案 2-4, privately by the superuser, in the middle of the burst
EXPECTED_RECORDS = 1 + len(BULK) + len(MEMBERS)
BODY = "建议：一是统筹规划，分年度实施；二是加大财政投入，建立长效管护机制。"


def title(n: int) -> str:
    return f"关于第{n}项民生实事的建议"


@pytest.fixture
def bot(fast_bot_process: BotProcess) -> BotProcess:
    return fast_bot_process


async def state(url: str) -> tuple[list[Record], int, list[TimelineEntry], list[MessageLink]]:
    """Records, confirmed co-signers of 第1号, 立案 timeline entries, post links."""
    db = Database(url)
    try:
        async with db.session() as session:
            records = list((await session.exec(select(Record).order_by(Record.id))).all())
            cosigners = (
                await session.exec(
                    select(func.count())
                    .select_from(Cosign)
                    .where(Cosign.record_id == 1, Cosign.status == CosignStatus.CONFIRMED)
                )
            ).one()
            accepts = list(
                (
                    await session.exec(
                        select(TimelineEntry).where(TimelineEntry.to_status == "accepted")
                    )
                ).all()
            )
            links = list(
                await session.exec(select(MessageLink).where(col(MessageLink.role) == "post"))
            )
        return records, cosigners, accepts, links
    finally:
        await db.dispose()


def done(snapshot: tuple[list[Record], int, list[TimelineEntry], list[MessageLink]]) -> bool:
    records, cosigners, _accepts, _links = snapshot
    accepted = {r.number for r in records if r.status == RecordStatus.ACCEPTED}
    return len(records) >= EXPECTED_RECORDS and cosigners >= len(MEMBERS) and accepted >= set(BULK)


async def burst(sim: OneBotSimulator) -> None:
    """Posts, co-signs and a bulk command, sent without waiting for any answer."""
    for index, member in enumerate(MEMBERS):
        await sim.post_group_message(
            GROUP, member, f"#提案 {title(member)}\n{BODY}", card=f"农业界-委员{member}"
        )
        await sim.post_group_message(GROUP, member, "附议 1", card=f"农业界-委员{member}")
        if index == len(MEMBERS) // 3:
            await sim.post_private_message(SUPERUSER, f"立案 {BULK[0]}-{BULK[-1]}")


async def test_killed_mid_burst_then_everything_redelivered_is_applied_once(
    bot: BotProcess,
) -> None:
    sim = OneBotSimulator(
        bot.ws_url, self_id=SELF_ID, access_token=bot.token, heartbeat_interval=None
    )
    sim.add_group(GROUP, "县政协全体委员")
    await sim.connect(timeout=20)
    await sim.post_group_message(GROUP, SUPERUSER, "本群 设为 全体群")
    await sim.wait_for_sent(timeout=15)
    for n in range(1 + len(BULK)):  # 第1号 (co-signed in the burst) and 第2-4号 (立案 2-4)
        await sim.post_group_message(
            GROUP, PROPOSER, f"#提案 {title(n)}\n{BODY}", card="农业界-张三"
        )
        await sim.wait_for_sent(lambda m, n=n: f"《{title(n)}》" in m.text, timeout=20)

    await burst(sim)
    for _ in range(3):  # a few posts of the burst were answered: kill the rest mid-way
        await sim.wait_for_sent(lambda m: "已登记" in m.text and "民生实事" in m.text, timeout=20)
    bot.kill()
    await sim.close()
    before = await state(bot.database_url)
    assert not done(before), "the kill came too late to test anything"

    await bot.astart()
    await sim.connect(timeout=30, retry_refused=True)
    for event in list(sim.events):  # the client re-delivers everything, same message ids
        await sim.post_event(dict(event))
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 90
    while not done(snapshot := await state(bot.database_url)):
        assert loop.time() < deadline, f"not all applied: {len(snapshot[0])} records"
        await asyncio.sleep(0.3)
    await asyncio.sleep(1.0)  # anything still running would show as a second copy

    records, cosigners, accepts, links = await state(bot.database_url)
    titles = Counter(r.title for r in records)
    assert titles == Counter([title(n) for n in range(1 + len(BULK))] + [title(m) for m in MEMBERS])
    assert [r.number for r in records] == list(range(1, EXPECTED_RECORDS + 1))
    assert cosigners == len(MEMBERS)
    assert sorted(e.record_id for e in accepts) == BULK  # each 立案 applied once
    assert len(links) == EXPECTED_RECORDS
    assert len({ln.message_id for ln in links}) == len(links)
    assert not [m.text for m in sim.sent if "出错" in m.text]
    await sim.close()
