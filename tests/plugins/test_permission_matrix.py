"""The permission matrix, read from the command table: every command that needs a role, sent by
everyone who lacks it, in every place it works in, is refused with the role's reply and changes
nothing; every command sent where it does not work is answered with where to use it (unbound
groups: silence). New commands are covered as soon as they are registered."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import func
from sqlmodel import select

from bot.core.models import ChannelBinding, Member, OutboxMessage, Record, TimelineEntry, Unit
from bot.core.people.identity import Role
from bot.nb.registry import Command, Where, registry
from tests.utils import (
    GUEST,
    MEMBER_GROUP,
    STAFF_GROUP,
    SUPERUSER,
    UNIT_GROUP,
    ReplyTo,
    expect_silence,
    group_message,
    private_message,
    say,
)
from tests.workflow_utils import EDU_CONTACT, MEMBER, STAFF, add_record

if TYPE_CHECKING:
    from nonebug import App

    from bot.core.services import Services

UNBOUND_GROUP = 900999
# who, and the roles they hold (tests/plugins/conftest.py `units`: the roster and the units)
SENDERS = {
    "guest": (str(GUEST), {Role.ANYONE}),
    "member": (MEMBER, {Role.ANYONE, Role.MEMBER}),
    "unit contact": (EDU_CONTACT, {Role.ANYONE, Role.UNIT_CONTACT}),
    "staff": (STAFF, {Role.ANYONE, Role.MEMBER, Role.UNIT_CONTACT, Role.STAFF}),
    "superuser": (SUPERUSER, set(Role)),
}
PLACES = {
    Where.PRIVATE: None,
    Where.MEMBER_GROUP: MEMBER_GROUP,
    Where.STAFF_GROUP: STAFF_GROUP,
    Where.UNIT_GROUP: UNIT_GROUP,
}
TABLES = (Record, TimelineEntry, OutboxMessage, Member, ChannelBinding, Unit)


def text_for(command: Command) -> str:
    return f"{command.name} 1 2" if command.takes_args else command.name


def event_for(text: str, user_id: str, group: int | None):  # type: ignore[no-untyped-def]
    if group is None:
        return private_message(text, user_id=user_id)
    return group_message(text, user_id=user_id, group_id=group)


async def counts(services: Services) -> dict[str, int]:
    async with services.db.session() as session:
        return {
            table.__tablename__: (await session.exec(select(func.count()).select_from(table))).one()
            for table in TABLES
        }


async def test_every_command_refuses_those_without_its_role(
    app: App, services: Services, units: dict[str, Unit]
) -> None:
    from bot.plugins.router import refusal_for_role  # (imported once the plugins are loaded)

    await add_record(services)
    await add_record(services)
    before = await counts(services)
    tried = 0
    for command in registry.commands():
        if command.role is Role.ANYONE:
            continue
        for user_id, roles in SENDERS.values():
            if command.role in roles:
                continue
            for place, group in PLACES.items():
                if place not in command.where:
                    continue
                if place is Where.MEMBER_GROUP and Role.MEMBER not in roles:
                    continue  # whoever speaks in a members' group is put on the roster (gate)
                event = event_for(text_for(command), user_id, group)
                await say(app, event, refusal_for_role(command))
                tried += 1
        assert await counts(services) == before, f"{command.name} changed something"
    assert tried > 100  # the table really was read (about 40 commands with a role)


async def test_every_command_says_where_to_use_it(
    app: App, services: Services, units: dict[str, Unit]
) -> None:
    from bot.core.records.kinds import RecordKind
    from bot.plugins.intake import WRONG_PLACE
    from bot.plugins.router import where_hint

    tags = {kind.tag: kind for kind in RecordKind}
    before = await counts(services)
    tried = 0
    for command in registry.commands():
        for place, group in PLACES.items():
            if place in command.where:
                continue
            event = event_for(text_for(command), SUPERUSER, group)
            if command.name in tags:  # the tagged posts: intake's own matcher answers
                refusal = WRONG_PLACE.format(tag=command.name, template="")
                await say(app, event, ReplyTo(event, starts_with=refusal.rstrip()))
            else:
                await say(app, event, f"“{command.name}”请在{where_hint(command.where)}使用。")
            tried += 1
        if Where.UNBOUND_GROUP not in command.where:
            await expect_silence(app, event_for(text_for(command), SUPERUSER, UNBOUND_GROUP))
    assert await counts(services) == before
    assert tried > 20
