"""The groups of commands that share a 帮助 topic, a minimum role and the places they work in.

A command of such a group is declared with `@PROPOSAL_HANDLING.command("立案", usage=..., summary=...)`
instead of repeating topic, role and where in every plugin file.
"""

from __future__ import annotations

from bot.core.people.identity import Role
from bot.nb.registry import Where, registry

UNIT_PLACES = Where.PRIVATE | Where.STAFF_GROUP | Where.UNIT_GROUP

PROPOSAL_HANDLING = registry.section("提案办理", role=Role.STAFF, where=Where.STAFF_PLACES)
UNIT_HANDLING = registry.section("提案办理", role=Role.UNIT_CONTACT, where=UNIT_PLACES)
#: The 帮助 topic of the handling practice (沟通, 提案质量, 督办, 回头看, 重新办理, 优秀提案): its
#: commands are UNIT_HANDLING / PROPOSAL_HANDLING ones with ``topic=PRACTICE_TOPIC``.
PRACTICE_TOPIC = "办理协商与督办"
OPINION_HANDLING = registry.section("社情民意办理", role=Role.STAFF, where=Where.STAFF_PLACES)
# the consultation plan (列入计划, 议题 活动 …) and work news (#动态), by staff
TOPIC_HANDLING = registry.section("议题办理", role=Role.STAFF, where=Where.STAFF_PLACES)
NEWS = registry.section("政协动态", role=Role.STAFF, where=Where.STAFF_PLACES)
# members' own commands on their records
RECORDS = registry.section("提案")
MEMBER_RECORDS = registry.section(
    "提案", role=Role.MEMBER, where=Where.PRIVATE | Where.MEMBER_GROUP
)
PROPOSERS = registry.section("提案", role=Role.MEMBER)
# what the public leaves on the board: staff review it, members read the approved tips
PUBLIC_REVIEW = registry.section("公众参与", role=Role.STAFF, where=Where.STAFF_PLACES)
TIP_READERS = registry.section(
    "公众参与", role=Role.MEMBER, where=Where.PRIVATE | Where.MEMBER_GROUP | Where.STAFF_GROUP
)
