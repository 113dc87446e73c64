"""并案 and 不立案→转社情民意 keep intake's similarity index in step (not only after a restart)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.core.records.kinds import RecordKind
from tests.utils import private_message, say
from tests.workflow_utils import STAFF, add_record

if TYPE_CHECKING:
    from nonebug import App

    from bot.core.models import Unit
    from bot.core.services import Services


async def test_merged_proposal_leaves_the_index(
    app: App, services: Services, units: dict[str, Unit]
) -> None:
    target = await add_record(services, title="甲")
    merged = await add_record(services, title="乙", user_id="20002", name="李四")
    for record in (target, merged):
        await services.similarity.reindex(record)
    assert {target.id, merged.id} <= services.similarity.index.doc_ids(RecordKind.PROPOSAL)
    await say(
        app,
        private_message("并案 2 到 1", user_id=STAFF),
        "已将提案第2号《乙》并入提案第1号，联名人增加：李四。已通知提案人。查第2号会指向第1号。",
    )
    ids = services.similarity.index.doc_ids(RecordKind.PROPOSAL)
    assert target.id in ids
    assert merged.id not in ids


async def test_converted_opinion_enters_the_index(
    app: App, services: Services, units: dict[str, Unit]
) -> None:
    await add_record(services)
    await say(
        app,
        private_message("不立案 1 不属于提案受理范围 转社情民意", user_id=STAFF),
        "提案第1号《关于加快推进农村生活污水治理的建议》不予立案，理由：不属于提案受理范围。"
        "已转为社情民意信息第1号（采用 1 / 未采用 1）。已一对一告知提案人张三。",
    )
    opinion = await services.records.resolve(RecordKind.OPINION, "1")
    assert opinion.id in services.similarity.index.doc_ids(RecordKind.OPINION)
