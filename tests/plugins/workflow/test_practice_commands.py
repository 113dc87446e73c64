"""The handling-practice commands through the real NoneBot pipeline: 沟通, 评价 … 已沟通,
提案质量, 重点 … 督办, 督办, 重点 候选, 回头看 (and its list), 重新办理, 优秀提案, their
refusals, who may use them, and their 帮助 entries."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlmodel import select

from bot.core.models import (
    AnswerCategory,
    Evaluation,
    EvaluationResult,
    QualityRating,
    Record,
    RecordStatus,
    Unit,
)
from bot.core.workflow.parsing import AssignSpec
from bot.nb.registry import registry
from tests.utils import STAFF_GROUP, UNIT_GROUP, group_message, private_message, say
from tests.workflow_utils import (
    COSIGNER,
    EDU,
    EDU_CONTACT,
    FIN_CONTACT,
    MEMBER,
    PROPOSER,
    STAFF,
    add_record,
    private_texts,
    requester,
)

if TYPE_CHECKING:
    from nonebug import App

    from bot.core.services import Services

T = "《关于加快推进农村生活污水治理的建议》"


async def assigned(services: Services, **record: object) -> None:
    await add_record(services, status=RecordStatus.ACCEPTED, **record)  # type: ignore[arg-type]
    await services.proposals.assign("1", await requester(services, STAFF), AssignSpec(EDU, []))


async def answered(services: Services, category: AnswerCategory, **record: object) -> None:
    await assigned(services, **record)
    contact = await requester(services, EDU_CONTACT)
    await services.proposals.answer("1", contact, category, "已列入明年计划")


async def test_consult_in_the_unit_group_and_evaluate_with_consulted(
    app: App, services: Services, units: dict[str, Unit]
) -> None:
    await assigned(services)
    await say(
        app,
        group_message(
            "沟通 1 电话 3月1日 听取了提案人对选址的意见", group_id=UNIT_GROUP, user_id=EDU_CONTACT
        ),
        "已记录县教育局与提案人张三就提案第1号的沟通（电话，2026年3月1日），已告知提案人。"
        "办理完毕请发送：答复 1 A|B|C 答复内容",
    )
    assert (await private_texts(services, PROPOSER))[-1].startswith("【办理协商】县教育局")
    await say(
        app,
        private_message("答复 1 A 已建成", user_id=EDU_CONTACT),
        "已记录提案第1号的答复：A类（已解决或基本解决）。"
        "已一对一通知提案人张三，评价期限2026年3月23日（15个工作日）。",
    )
    await say(
        app,
        private_message("评价 1 满意 已沟通 很及时", user_id=PROPOSER),
        "已记录您对提案第1号的评价：满意，意见：很及时。感谢您的履职！",
    )
    async with services.db.session() as session:
        (evaluation,) = (await session.exec(select(Evaluation))).all()
    assert (evaluation.consulted, evaluation.opinion) == (True, "很及时")
    assert evaluation.result == EvaluationResult.SATISFIED


async def test_consult_refusals(app: App, services: Services, units: dict[str, Unit]) -> None:
    await assigned(services)
    await say(
        app,
        private_message("沟通 1 聊过了", user_id=EDU_CONTACT),
        "请写明沟通方式：面商、电话、座谈或调研。用法：沟通 17 面商|电话|座谈|调研 [日期] 内容，"
        "例如：沟通 17 面商 3月5日 到提案人单位当面听取意见",
    )
    text = await say(app, private_message("沟通 1 电话 问过了", user_id=FIN_CONTACT))
    assert text.startswith("提案第1号没有交由您所在的单位办理")
    text = await say(app, private_message("沟通 1 电话 问过了", user_id=MEMBER))
    assert "承办单位联系人" in text
    assert (await services.records.get(1)).status == RecordStatus.ASSIGNED


async def test_quality_rating_by_the_answering_unit(
    app: App, services: Services, units: dict[str, Unit]
) -> None:
    await answered(services, AnswerCategory.B)
    await say(
        app,
        group_message("提案质量 1 良好 调研扎实", group_id=UNIT_GROUP, user_id=EDU_CONTACT),
        "已记录县教育局对提案第1号的提案质量评价：良好。"
        "质量评价仅机关工作人员可见，不告知提案人，用于履职积分和优秀提案评选。",
    )
    await say(
        app,
        private_message("提案质量 1 很好", user_id=EDU_CONTACT),
        "请写明提案质量：优秀、良好或一般。用法：提案质量 17 优秀|良好|一般 [意见]",
    )
    async with services.db.session() as session:
        (rating,) = (await session.exec(select(QualityRating))).all()
    assert (rating.grade, rating.opinion) == ("good", "调研扎实")
    shown = await say(app, private_message("查提案 1", user_id=PROPOSER))
    assert "良好" not in shown  # the proposer never sees it, nor do unit contacts
    assert "良好" not in await say(app, private_message("查提案 1", user_id=EDU_CONTACT))
    assert "评价提案质量：良好。意见：调研扎实" in await say(
        app, private_message("查提案 1", user_id=STAFF)
    )


async def test_key_with_leader_supervision_and_candidates(
    app: App, services: Services, units: dict[str, Unit]
) -> None:
    await assigned(services)
    await say(
        app,
        group_message("重点 1 督办 李副主席 牵头 县财政局", group_id=STAFF_GROUP, user_id=STAFF),
        f"已将提案第1号{T}列为重点提案（督办领导：李副主席；牵头：县财政局），已通知提案人。"
        "督办活动请发送：督办 1 视察|座谈|催办 内容",
    )
    await say(
        app,
        group_message("督办 1 视察 李副主席带队察看现场", group_id=STAFF_GROUP, user_id=STAFF),
        "已记录提案第1号的督办活动（视察），列入办理过程。已通知主办单位联系人。",
    )
    assert (await private_texts(services, EDU_CONTACT))[-1].startswith(
        f"【督办】提案第1号{T}（视察）"
    )
    shown = await say(app, private_message("查提案 1", user_id=PROPOSER))
    assert "督办（视察）：李副主席带队察看现场" in shown
    candidates = await say(app, group_message("重点 候选", group_id=STAFF_GROUP, user_id=STAFF))
    assert candidates.splitlines()[1].startswith(f"1. 第1号{T}（已是重点）：张三，联名0人")
    await say(
        app,
        group_message("重点 候选 明年", group_id=STAFF_GROUP, user_id=STAFF),
        "“明年”不是年份。用法：重点 17（设为重点提案）；重点 17 督办 某副主席 [牵头 县发改局]；"
        "重点 17 取消；重点 候选 [2026]；多件：重点 17 18",
    )


async def test_lookback_by_the_unit_and_list_for_staff(
    app: App, services: Services, units: dict[str, Unit]
) -> None:
    await answered(services, AnswerCategory.B)
    await say(
        app,
        private_message("回头看 1 仍在办理 二期工程年内完工", user_id=EDU_CONTACT),
        "已记录提案第1号的回头看：仍在办理，已一对一告知提案人张三。",
    )
    told = (await private_texts(services, PROPOSER))[-1]
    assert "县教育局回头看的落实情况：仍在办理。二期工程年内完工" in told
    listing = await say(app, group_message("回头看 列表", group_id=STAFF_GROUP, user_id=STAFF))
    assert listing.startswith("2026年回头看（上一年B类答复）共1件，未回复0件：")
    await say(
        app,
        private_message("回头看", user_id=EDU_CONTACT),
        "回头看清单仅限机关工作人员查看。报告落实情况请发送：回头看 17 已解决|仍在办理|未落实 内容",
    )


async def test_reopen_c_answer(app: App, services: Services, units: dict[str, Unit]) -> None:
    await answered(services, AnswerCategory.C)
    await say(
        app,
        group_message("重新办理 1", group_id=STAFF_GROUP, user_id=STAFF),
        "请写明重新办理的理由（条件发生了什么变化）。例如：重新办理 1 明年预算已安排专项资金",
    )
    await say(
        app,
        group_message("重新办理 1 县里已安排专项资金", group_id=STAFF_GROUP, user_id=STAFF),
        f"已将提案第1号{T}转为重新办理（第2轮），已通知提案人。"
        "请重新交办：交办 1（不写单位即交原单位），或 交办 1 主办 单位名称",
    )
    record = await services.records.get(1)
    assert (record.status, record.round) == (RecordStatus.REHANDLING, 2)
    text = await say(app, private_message("重新办理 1 再办一次", user_id=EDU_CONTACT))
    assert "机关工作人员" in text


async def test_excellent_proposal(app: App, services: Services, units: dict[str, Unit]) -> None:
    await add_record(services, status=RecordStatus.ACCEPTED, cosigners=[(COSIGNER, "李四")])
    await say(
        app,
        group_message("优秀提案 1 建议具体可行", group_id=STAFF_GROUP, user_id=STAFF),
        f"已将提案第1号{T}评为2026年度优秀提案，已通知提案人和联名人（2人）。",
    )
    assert (await private_texts(services, COSIGNER))[-1].startswith("祝贺！提案第1号")
    await say(
        app,
        group_message("优秀提案", group_id=STAFF_GROUP, user_id=STAFF),
        f"2026年度优秀提案（1件）：\n· 第1号{T}（张三）：建议具体可行",
    )
    await say(
        app,
        group_message("优秀提案 1 取消", group_id=STAFF_GROUP, user_id=STAFF),
        f"已取消提案第1号{T}的2026年度优秀提案。",
    )


async def test_help_explains_every_practice_command(
    app: App, services: Services, units: dict[str, Unit]
) -> None:
    topic = await say(app, private_message("帮助 办理协商与督办", user_id=STAFF))
    for name in ("沟通", "提案质量", "督办", "回头看", "重新办理", "优秀提案"):
        command = registry.get(name)
        assert command is not None
        assert f"· {command.usage} — {command.summary}" in topic
    overview = await say(app, private_message("帮助", user_id=EDU_CONTACT))
    assert "\n· 办理协商与督办：沟通、回头看、提案质量\n" in overview
    staff_overview = await say(app, private_message("帮助", user_id=STAFF))
    assert "\n· 办理协商与督办：" in staff_overview


async def test_unit_group_replies_show_no_title_of_a_private_proposal(
    app: App, services: Services, units: dict[str, Unit]
) -> None:
    await answered(services, AnswerCategory.B)
    async with services.db.session() as session:
        record = await session.get(Record, 1)
        assert record is not None
        record.source_kind = "private"
        session.add(record)
        await session.commit()
    replies = [
        await say(app, group_message(command, group_id=UNIT_GROUP, user_id=EDU_CONTACT))
        for command in ("提案质量 1 优秀", "回头看 1 已解决 已建成")
    ]
    assert all(reply.startswith("已记录") for reply in replies)
    assert not [reply for reply in replies if "污水治理" in reply]


async def test_supervise_without_content_points_to_key(
    app: App, services: Services, units: dict[str, Unit]
) -> None:
    await assigned(services)
    await say(
        app,
        group_message("督办 1", group_id=STAFF_GROUP, user_id=STAFF),
        "请写上督办的内容。用法：督办 17 [视察|座谈|催办|调研|约谈] 内容，例如：督办 17 视察 "
        "某副主席带队到现场察看。设为重点提案请发送：重点 17 督办 某副主席",
    )
    assert not (await services.records.get(1)).is_key
