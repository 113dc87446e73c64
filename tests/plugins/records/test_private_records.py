"""Privately submitted records: only the proposer, co-signers, staff and assigned units see them.

DESIGN §4: nothing sent privately is echoed to a group. Beyond that, a private submission is not
for other members to read privately either (it may concern a sensitive matter): they learn that
the number exists, nothing more.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.core.intake import texts
from bot.core.intake.results import Source
from bot.core.models import ChannelKind, Record
from bot.core.records.kinds import RecordKind
from bot.core.workflow.common import Requester
from bot.core.workflow.parsing import AssignSpec
from tests.intake_helpers import cosign_line, post, register
from tests.utils import GROUP, SUPERUSER, group_message, make_bot, private_message, reply_of

if TYPE_CHECKING:
    from nonebug import App

    from bot.core.people.identity import Identity
    from bot.core.services import Services

SECRET_TITLE = "关于某镇卫生院违规收费问题的建议"
SECRET = (
    "某镇卫生院存在违规收费现象，群众反映强烈，部分检查项目重复收费。"
    "建议县卫健局开展专项检查，建立收费公示制度，设立投诉电话。"
)


async def private_submission(services: Services) -> Record:
    """张三 (20001) submits privately, inviting 李四 (20002); 王五 (20003) is another member."""
    zhang = await register(services, "20001", "张三")
    await register(services, "20002", "李四")
    await register(services, "20003", "王五", sector="教育界")
    result = await services.intake.submit(
        post(SECRET_TITLE, SECRET, "#提案", *cosign_line(("20002", "李四"))),
        identity=zhang,
        source=Source.private("7001"),
    )
    return result.record


async def detail_for(services: Services, record: Record, identity: Identity) -> str:
    year = services.records.current_year()
    return texts.detail_text(await services.queries.detail(record, identity), year)


async def test_another_member_cannot_read_it_privately(app: App, services: Services) -> None:
    record = await private_submission(services)
    event = private_message(f"查提案 {record.number}", user_id=20003)
    async with app.test_matcher() as ctx:
        bot = make_bot(ctx)
        ctx.receive_event(bot, event)
        refusal = texts.private_to_others(record, services.records.current_year())
        ctx.should_call_send(event, reply_of(event, refusal), result={"message_id": 1})
    assert SECRET_TITLE not in refusal


async def test_proposer_invited_cosigner_and_staff_can_read_it(
    app: App, services: Services
) -> None:
    record = await private_submission(services)
    await services.members.set_staff("30001", True, display_name="王秘书")
    for user_id in ("20001", "20002", "30001"):
        identity = await services.members.identify(user_id)
        expected = await detail_for(services, record, identity)
        assert SECRET_TITLE in expected
        event = private_message(f"查提案 {record.number}", user_id=int(user_id))
        async with app.test_matcher() as ctx:
            bot = make_bot(ctx)
            ctx.receive_event(bot, event)
            ctx.should_call_send(event, reply_of(event, expected), result={"message_id": 1})


async def test_contact_of_the_assigned_unit_can_read_it(services: Services) -> None:
    record = await private_submission(services)
    await services.members.set_staff("30001", True, display_name="王秘书")
    unit, _ = await services.units.add("县卫健局")
    await services.units.set_contact(unit, "40001", "赵主任")
    other, _ = await services.units.add("县教育局")
    await services.units.set_contact(other, "40002", "钱主任")
    assert not await services.queries.may_view(record, await services.members.identify("40001"))
    staff = Requester(await services.members.identify("30001"), "private")
    await services.proposals.accept(str(record.number), staff)
    await services.proposals.assign(str(record.number), staff, AssignSpec("县卫健局"))
    assert await services.queries.may_view(record, await services.members.identify("40001"))
    assert not await services.queries.may_view(record, await services.members.identify("40002"))


async def test_search_shows_it_only_to_those_who_may_read_it(app: App, services: Services) -> None:
    record = await private_submission(services)
    year = services.records.current_year()
    for user_id, found in ((20003, []), (20001, [record]), (20002, [record])):
        event = private_message("搜索 卫生院 收费", user_id=user_id)
        async with app.test_matcher() as ctx:
            bot = make_bot(ctx)
            ctx.receive_event(bot, event)
            expected = texts.search_text("卫生院 收费", found, False, year)
            ctx.should_call_send(event, reply_of(event, expected), result={"message_id": 1})
        if not found:
            assert SECRET_TITLE not in expected


async def test_uninvited_member_cannot_cosign_it(app: App, services: Services) -> None:
    record = await private_submission(services)
    await services.channels.bind(str(GROUP), ChannelKind.WHOLE, sector=None, bound_by=SUPERUSER)
    year = services.records.current_year()
    for event in (
        private_message(f"附议 {record.number}", user_id=20003),
        group_message(f"附议 {record.number}", user_id=20003, card="教育界-王五"),
    ):
        async with app.test_matcher() as ctx:
            bot = make_bot(ctx)
            ctx.receive_event(bot, event)
            refusal = texts.private_cosign_refused(record, year)
            ctx.should_call_send(event, reply_of(event, refusal), result={"message_id": 1})
    assert [c.user_id for c in await services.cosigns.for_record(record.id or 0)] == ["20002"]


async def test_invited_cosigner_confirming_in_a_group_does_not_reveal_the_title(
    app: App, services: Services
) -> None:
    record = await private_submission(services)
    await services.channels.bind(str(GROUP), ChannelKind.WHOLE, sector=None, bound_by=SUPERUSER)
    event = group_message(f"附议 {record.number}", user_id=20002, card="农业界-李四")
    async with app.test_matcher() as ctx:
        bot = make_bot(ctx)
        ctx.receive_event(bot, event)
        ctx.should_call_send(
            event,
            reply_of(event, f"已确认联名提案第{record.number}号，目前联名1人。"),
            result={"message_id": 1},
        )


async def test_similar_private_record_of_another_member_is_not_named_privately(
    services: Services,
) -> None:
    await private_submission(services)
    wang = await services.members.identify("20003")
    result = await services.intake.submit(
        post("关于卫生院违规收费专项检查的建议", SECRET + "建议加大处罚力度。"),
        identity=wang,
        source=Source.private("7002"),
    )
    assert result.similar, "the two texts are near-identical: the index must find the first"
    reply = texts.submit_reply(result, services.records.current_year(), private=True)
    assert "（私聊提交）" in reply
    assert SECRET_TITLE not in reply
    assert "张三" not in reply
    assert RecordKind(result.record.kind) is RecordKind.PROPOSAL
