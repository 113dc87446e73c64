"""重点: set, clear, several; unknown words are refused with the usage."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.core.models import RecordStatus, Unit
from bot.core.workflow.practice_parsing import KEY_USAGE
from tests.utils import private_message, say
from tests.workflow_utils import STAFF, add_record

if TYPE_CHECKING:
    from nonebug import App

    from bot.core.services import Services

T = "《关于加快推进农村生活污水治理的建议》"


async def test_key_on_off(app: App, services: Services, units: dict[str, Unit]) -> None:
    await add_record(services, status=RecordStatus.ACCEPTED)
    await add_record(services, status=RecordStatus.ACCEPTED)
    await say(
        app,
        private_message("重点 1 2", user_id=STAFF),
        "重点提案：2件，完成2件\n· 第1号：已列为重点提案\n· 第2号：已列为重点提案",
    )
    await say(
        app,
        private_message("重点 1 取消", user_id=STAFF),
        f"已取消提案第1号{T}的重点提案标记。",
    )
    assert [(await services.records.get(n)).is_key for n in (1, 2)] == [False, True]


async def test_key_unknown_word(app: App, services: Services, units: dict[str, Unit]) -> None:
    await add_record(services, status=RecordStatus.ACCEPTED)
    await say(
        app,
        private_message("重点 1 加急", user_id=STAFF),
        "不认识“加急”。用法：" + KEY_USAGE,
    )
