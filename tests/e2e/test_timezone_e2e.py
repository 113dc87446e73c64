"""BOT_TIMEZONE in the real process: times shown and digests sent in the office's zone, on a
server whose own TZ is UTC (as BotProcess.fake_start sets it)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tests.e2e.conftest import SUPERUSER, BotFactory, simulator_for
from tests.e2e.test_schedule_e2e import PROPOSAL, needs_faketime, next_digest

if TYPE_CHECKING:
    from pathlib import Path

    from bot.devtools.botprocess import BotProcess

GROUP = 556101
MEMBER = 20001


async def post_and_query(process: BotProcess) -> str:
    async with simulator_for(process) as sim:
        sim.add_group(GROUP, "县政协全体委员")
        await sim.post_group_message(GROUP, SUPERUSER, "本群 设为 全体群")
        await sim.wait_for_sent(lambda m: m.group_id == GROUP, timeout=10)
        await sim.post_group_message(GROUP, MEMBER, PROPOSAL, card="农业界-张三")
        await sim.wait_for_sent(lambda m: m.group_id == GROUP, timeout=15)
        await sim.post_group_message(GROUP, MEMBER, "查提案 1", card="农业界-张三")
        return (await sim.wait_for_sent(lambda m: m.group_id == GROUP, timeout=10)).text


@needs_faketime
async def test_times_and_digests_in_the_configured_zone(new_bot: BotFactory) -> None:
    # 14:50 UTC on Wednesday 2 December 2026: 08:50 in Chicago, 22:50 in Beijing
    chicago = {"BOT_TIMEZONE": "America/Chicago"}
    process = await new_bot(fake_start="2026-12-02 14:50:00", extra_env=chicago)
    shown = await post_and_query(process)
    assert "提交时间：2026-12-02 08:50" in shown, shown
    await process.astop()

    process.fake_start = "2026-12-02 14:59:40"  # 08:59:40 in Chicago: the 09:00 digest
    await process.astart()
    text = await next_digest(process, GROUP)
    assert "关于加快农村生活污水治理的建议" in text, text
    await process.wait_for_log(rf"digest daily 2026-12-02 -> {GROUP}: sent \(09:00 schedule\)")


@needs_faketime
async def test_a_tz_line_in_the_env_file_still_works_with_a_warning(
    new_bot: BotFactory, tmp_path: Path
) -> None:
    """The old setting name in the project's .env file: the zone it names, and a warning at
    start; the server's own TZ (UTC here, as fake_start sets it) still moves nothing."""
    env_file = tmp_path / "old.env"
    env_file.write_text("TZ=America/Chicago\n", encoding="utf-8")
    process = await new_bot(
        fake_start="2026-12-02 14:50:00", extra_env={"CPPCC_ENV_FILE": str(env_file)}
    )
    shown = await post_and_query(process)
    assert "提交时间：2026-12-02 08:50" in shown, shown
    await process.wait_for_log(r"TZ=America/Chicago 是旧的设置名，仍然有效；请改为 BOT_TIMEZONE")
