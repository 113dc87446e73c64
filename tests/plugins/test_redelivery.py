"""Re-deliveries through the real pipeline: a message counts as seen once what it caused is
committed, and the re-delivery key is the bot account, the chat and the message id."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from sqlalchemy.exc import OperationalError
from sqlmodel import select

from bot.core.models import ChannelKind, Record, RecordStatus, Unit
from tests.intake_helpers import SEWAGE, SEWAGE_TITLE
from tests.utils import (
    GROUP,
    MEMBER,
    STAFF,
    STAFF_GROUP,
    SUPERUSER,
    group_message,
    make_bot,
    outbox_rows,
    private_message,
    say,
)
from tests.workflow_utils import STAFF as STAFF_ID
from tests.workflow_utils import add_record

if TYPE_CHECKING:
    from nonebug import App

    from bot.core.services import Services

OTHER_STAFF = 30002
OTHER_GROUP = GROUP + 1


@pytest.fixture
async def people(services: Services) -> None:
    await services.members.register_from_card(str(MEMBER), "农业界-张三")
    await services.members.set_staff(str(STAFF), True, display_name="王秘书")
    await services.members.set_staff(str(OTHER_STAFF), True, display_name="李秘书")
    for group in (GROUP, OTHER_GROUP):
        await services.channels.bind(str(group), ChannelKind.WHOLE, sector=None, bound_by=SUPERUSER)


async def records(services: Services) -> list[Record]:
    async with services.db.session() as session:
        return list((await session.exec(select(Record).order_by(Record.id))).all())


LISTING = "委员名单（共1人）\n【农业界】1人：张三"


async def test_same_message_id_in_another_chat_is_another_message(app: App, people: None) -> None:
    await say(app, private_message("委员 列表", user_id=STAFF, message_id=515151), LISTING)
    # QQ numbers messages per chat: the same id in another person's private chat, or in a
    # group, is a different message and must be answered.
    await say(app, private_message("委员 列表", user_id=OTHER_STAFF, message_id=515151), LISTING)
    await say(
        app,
        group_message("委员 列表", user_id=STAFF, group_id=OTHER_GROUP, message_id=515151),
        LISTING,
    )


async def test_post_that_failed_to_store_is_stored_when_delivered_again(
    app: App, services: Services, people: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The member was told 登记出错 (nothing stored): the client's re-delivery of the same
    message must be registered, not dropped as already seen."""
    store = services.intake._store
    calls = 0

    def failing_once(*args: Any, **kwargs: Any) -> Any:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise OperationalError("INSERT", {}, Exception("database is locked"))
        return store(*args, **kwargs)

    monkeypatch.setattr(services.intake, "_store", failing_once)
    text = f"#提案 {SEWAGE_TITLE}\n{SEWAGE}"
    first = group_message(text, user_id=MEMBER, card="农业界-张三", message_id=626262)
    await say(app, first, "抱歉，登记时出错了，已记录。请稍后重发，或联系机关工作人员。")
    again = group_message(text, user_id=MEMBER, card="农业界-张三", message_id=626262)
    answer = await say(app, again)
    assert answer.startswith(f"已登记：提案第1号《{SEWAGE_TITLE}》")
    assert [r.number for r in await records(services)] == [1]
    # and a third delivery is a re-delivery of a stored post: silent
    async with app.test_matcher() as ctx:
        ctx.receive_event(make_bot(ctx), group_message(text, user_id=MEMBER, message_id=626262))
    assert [r.number for r in await records(services)] == [1]


async def test_bulk_command_cut_short_finishes_the_rest_when_delivered_again(
    app: App, services: Services, units: dict[str, Unit], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`立案 1 2 3` stopped after the first number (here an error; in the field a crash): the
    re-delivery does 2 and 3, and 1 refuses as already done."""
    for _ in range(3):
        await add_record(services)
    accept = services.proposals.accept
    calls = 0

    async def failing_second(*args: Any, **kwargs: Any) -> Any:
        nonlocal calls
        calls += 1
        if calls == 2:
            raise RuntimeError("killed")
        return await accept(*args, **kwargs)

    monkeypatch.setattr(services.proposals, "accept", failing_second)
    command = "立案 1 2 3"
    await say(
        app,
        group_message(command, user_id=STAFF_ID, group_id=STAFF_GROUP, message_id=737373),
        "抱歉，处理这条命令时出错了，已记录。请稍后再试，或联系机关工作人员。",
    )
    assert [r.status for r in await records(services)] == [
        RecordStatus.ACCEPTED,
        RecordStatus.SUBMITTED,
        RecordStatus.SUBMITTED,
    ]
    await say(
        app,
        group_message(command, user_id=STAFF_ID, group_id=STAFF_GROUP, message_id=737373),
        "立案：3件，完成2件，1件未办理（原因见下）\n"
        "· 1：提案第1号当前状态是“已立案”，不能立案。现在可以：交办、并案。例如：交办 1 主办 单位名称\n"
        "· 第2号：已立案（生态文明建设）\n"
        "· 第3号：已立案（生态文明建设）",
    )
    assert {r.status for r in await records(services)} == {RecordStatus.ACCEPTED}
    accepted = [n.record_id for n in await outbox_rows(services) if n.purpose == "workflow"]
    assert sorted(accepted) == [1, 2, 3]  # one notice each: none twice, none lost
