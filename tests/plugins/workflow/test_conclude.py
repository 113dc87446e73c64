"""办结: several at once, with a line per number."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.core.models import RecordStatus, Unit
from tests.utils import private_message, say
from tests.workflow_utils import PROPOSER, STAFF, add_record, private_texts

if TYPE_CHECKING:
    from nonebug import App

    from bot.core.services import Services


async def test_conclude_several(app: App, services: Services, units: dict[str, Unit]) -> None:
    await add_record(services, status=RecordStatus.EVALUATED)
    await add_record(services, status=RecordStatus.EVALUATED)
    await add_record(services, status=RecordStatus.ASSIGNED)
    await say(
        app,
        private_message("办结 1-3", user_id=STAFF),
        "办结：3件，完成2件，1件未办理（原因见下）\n· 第1号：已办结\n· 第2号：已办结\n"
        "· 3：提案第3号当前状态是“已交办”，不能办结。现在可以：进展、答复、交办。"
        "例如：进展 3 内容",
    )
    assert [(await services.records.get(n)).status for n in (1, 2, 3)] == [
        RecordStatus.CONCLUDED,
        RecordStatus.CONCLUDED,
        RecordStatus.ASSIGNED,
    ]
    assert len(await private_texts(services, PROPOSER)) == 2
