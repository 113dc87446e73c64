"""Unit contacts whose name nobody knows: only they are looked at when someone speaks."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.core.services import Services


async def test_a_new_process_awaits_the_contacts_still_without_a_name(services: Services) -> None:
    unit, _ = await services.units.add("县民政局")
    await services.units.set_contact(unit, "3301000006", "")
    await services.units.set_contact(unit, "3301000008", "3301000008")  # a number is no name
    await services.units.set_contact(unit, "3301000007", "王五")
    services.units.awaiting_name.clear()  # as in a process started afterwards
    await services.units.load()
    assert services.units.awaiting_name == {"3301000006", "3301000008"}
    await services.units.learn_name("3301000006", "赵六")
    assert services.units.awaiting_name == {"3301000008"}
