"""查提案: the whole text privately for everyone allowed to read it; groups keep an excerpt
(issue 9, item 3), and a unit group never shows a private submission (issue 9, item 2).

Before, the text always stopped after 300 characters (`……（全文共6074字）`), also privately for
the proposer, staff and the handling unit's contact; and the 交办 notice's `（全文请发送：查提案 2）`
led to the same cut. The suite only had short bodies, which fit in the excerpt.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from bot.core.clock import format_local
from bot.core.intake import texts
from bot.core.models import ChannelKind, RecordStatus
from bot.core.workflow.parsing import AssignSpec
from bot.nb.message import split_long_text
from tests.intake_helpers import register, submit
from tests.utils import (
    MEMBER_GROUP,
    STAFF_GROUP,
    SUPERUSER,
    UNIT_GROUP,
    group_message,
    make_bot,
    private_message,
    reply_of,
)
from tests.workflow_utils import EDU, EDU_CONTACT, STAFF, private_texts, requester, setup_people

if TYPE_CHECKING:
    from nonebug import App

    from bot.core.services import Services

TITLE = "关于全面推进县域义务教育优质均衡发展的建议"
#: ~6,000 characters in numbered paragraphs, each line different (so a lost line shows).
LONG_BODY = (
    "\n".join(
        f"{n}. 第{n}段：我县城乡义务教育资源配置不均衡，乡村学校师资、设施与城区差距较大，"
        f"需要统筹规划、加大投入、完善机制，逐步缩小差距（第{n}段完）。"
        for n in range(1, 101)
    )
    + "\n建议：一是统筹城乡学校布局；二是加大乡村教师补助；三是推进集团化办学。"
)


async def _setup(services: Services, *, private: bool) -> None:
    units = await setup_people(services)
    for group, kind in (
        (STAFF_GROUP, ChannelKind.STAFF),
        (UNIT_GROUP, ChannelKind.UNIT),
        (MEMBER_GROUP, ChannelKind.WHOLE),
    ):
        await services.channels.bind(str(group), kind, sector=None, bound_by=SUPERUSER)
    zhang = await register(services, "20001", "张三")
    record = await submit(services, zhang, TITLE, LONG_BODY, private=private, group_id=MEMBER_GROUP)
    staff = await requester(services, STAFF)
    await services.proposals.accept(str(record.number), staff)
    await services.proposals.assign(str(record.number), staff, AssignSpec(EDU))
    assert units[EDU].id is not None


async def _expected_reply(services: Services, user_id: str, *, full: bool) -> str:
    record = await services.records.get(1)
    identity = await services.members.identify(user_id)
    detail = await services.queries.detail(record, identity)
    return texts.detail_text(detail, services.records.current_year(), full=full)


@pytest.mark.parametrize(
    ("who", "private"),
    [("20001", True), (STAFF, True), (EDU_CONTACT, True), ("20001", False), ("20009", False)],
    ids=["proposer", "staff", "unit-contact", "group-post-proposer", "group-post-other-member"],
)
async def test_the_whole_text_arrives_privately(
    app: App, services: Services, who: str, private: bool
) -> None:
    await _setup(services, private=private)
    reply = await _expected_reply(services, who, full=True)
    assert LONG_BODY in reply
    assert "全文共" not in reply
    parts = split_long_text(reply)
    assert len(parts) > 1  # several ordinary messages, the first quoting the command
    event = private_message("查提案 1", user_id=int(who))
    async with app.test_matcher() as ctx:
        bot = make_bot(ctx)
        ctx.receive_event(bot, event)
        for index, part in enumerate(parts):
            message = reply_of(event, part) if index == 0 else part
            ctx.should_call_send(event, message, result={"message_id": 100 + index})
    # the messages, put back together, hold every line of the body, in order
    assert "\n".join(parts) == reply
    assert reply.index("1. 第1段") < reply.index("100. 第100段") < reply.index("三是推进集团化办学")


async def test_the_assignment_notice_points_to_the_whole_text(app: App, services: Services) -> None:
    await _setup(services, private=True)
    (notice,) = await private_texts(services, EDU_CONTACT)
    assert notice.startswith(f"【提案交办】提案第1号《{TITLE}》交由县教育局主办")
    assert f"……（全文共{len(LONG_BODY)}字，发送“查提案 1”可查看全文）" in notice


@pytest.mark.parametrize("group", [MEMBER_GROUP, STAFF_GROUP, UNIT_GROUP])
async def test_groups_keep_an_excerpt_and_say_how_to_read_the_rest(
    app: App, services: Services, group: int
) -> None:
    await _setup(services, private=False)
    record = await services.records.get(1)
    assert record.status == RecordStatus.ASSIGNED
    event = group_message("查提案 1", user_id=int(STAFF), group_id=group)
    reply = await _expected_reply(services, STAFF, full=False)
    assert f"……（全文共{len(LONG_BODY)}字，请私聊机器人发送“查提案 1”查看全文）" in reply
    assert LONG_BODY[:300] in reply
    assert "第100段" not in reply
    assert format_local(record.created_at) in reply
    async with app.test_matcher() as ctx:
        bot = make_bot(ctx)
        ctx.receive_event(bot, event)
        ctx.should_call_send(event, reply_of(event, reply), result={"message_id": 1})


async def test_a_unit_group_never_shows_a_private_submission(app: App, services: Services) -> None:
    """The handling unit's contact may read it, but one-to-one: the unit group holds every
    department's contact."""
    await _setup(services, private=True)
    record = await services.records.get(1)
    for who in (EDU_CONTACT, STAFF):  # staff read it in the staff group or privately
        event = group_message("查提案 1", user_id=int(who), group_id=UNIT_GROUP)
        async with app.test_matcher() as ctx:
            bot = make_bot(ctx)
            ctx.receive_event(bot, event)
            ctx.should_call_send(
                event,
                reply_of(event, texts.hidden_in_group(record, services.records.current_year())),
                result={"message_id": 1},
            )
    search = group_message("搜索 义务教育", user_id=int(STAFF), group_id=UNIT_GROUP)
    async with app.test_matcher() as ctx:
        bot = make_bot(ctx)
        ctx.receive_event(bot, search)
        ctx.should_call_send(
            search,
            reply_of(search, texts.search_text("义务教育", [], False, record.year)),
            result={"message_id": 2},
        )
