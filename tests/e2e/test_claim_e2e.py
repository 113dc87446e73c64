"""A fresh install with no SUPERUSERS: the claim code from the log makes the first superuser."""

from __future__ import annotations

import re

from bot.core.people.claims import NOT_AVAILABLE
from tests.e2e.conftest import BotFactory, simulator_for

OWNER = 40001
OTHER = 40002
GROUP = 556201
STAFF_GROUP = 556202
CODE_LINE = r"认领 (\d{6})"


async def test_claim_from_the_log_then_bind_a_group(new_bot: BotFactory) -> None:
    process = await new_bot(superusers=())
    code = (await process.wait_for_log(CODE_LINE)).group(1)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    async with simulator_for(process) as sim:
        sim.add_group(GROUP, "县政协全体委员")
        # before the claim an unbound group stays silent, also for the future owner
        await sim.post_group_message(GROUP, OWNER, "本群 设为 全体群")
        await sim.post_private_message(OWNER, f"认领 {wrong}")
        refused = await sim.wait_for_sent(lambda m: m.user_id == OWNER, timeout=10)
        assert refused.text.startswith("认领码不对"), refused.text
        assert [m for m in sim.sent if m.group_id == GROUP] == []
        await sim.post_private_message(OWNER, f"认领 {code}")
        claimed = await sim.wait_for_sent(lambda m: m.user_id == OWNER, timeout=10)
        assert claimed.text.startswith("认领成功，您已成为超级管理员"), claimed.text
        await sim.post_private_message(OTHER, f"认领 {code}")
        late = await sim.wait_for_sent(lambda m: m.user_id == OTHER, timeout=10)
        assert late.text == NOT_AVAILABLE
        await sim.post_group_message(GROUP, OWNER, "本群 设为 全体群")
        bound = await sim.wait_for_sent(lambda m: m.group_id == GROUP, timeout=10)
        assert bound.text.startswith("已将本群设为全体群"), bound.text
    await process.astop()

    await process.astart()  # the claim is in the database: no code any more
    await process.wait_for_log(r"schedule: registered jobs")
    assert re.search(CODE_LINE, process.current_log()) is None
    async with simulator_for(process) as sim:
        sim.add_group(STAFF_GROUP, "县政协机关")
        await sim.post_group_message(STAFF_GROUP, OWNER, "本群 设为 机关群")
        bound = await sim.wait_for_sent(lambda m: m.group_id == STAFF_GROUP, timeout=10)
        assert bound.text.startswith("已将本群设为机关群"), bound.text
