"""Who is asking: roles come from configuration (superusers) and the roster."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.core.models import Member


class Role(StrEnum):
    SUPERUSER = "superuser"
    STAFF = "staff"
    UNIT_CONTACT = "unit_contact"
    MEMBER = "member"
    ANYONE = "anyone"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS = {
    Role.SUPERUSER: "超级管理员",
    Role.STAFF: "机关工作人员",
    Role.UNIT_CONTACT: "承办单位联系人",
    Role.MEMBER: "委员",
    Role.ANYONE: "所有人",
}


@dataclass(frozen=True)
class Identity:
    platform: str
    user_id: str
    display_name: str
    member: Member | None = None
    is_superuser: bool = False
    unit_ids: frozenset[int] = field(default_factory=frozenset)

    @property
    def is_staff(self) -> bool:
        """Staff powers: office staff and superusers."""
        return self.is_superuser or bool(
            self.member and self.member.is_staff and self.member.active
        )

    @property
    def is_member(self) -> bool:
        return bool(self.member and self.member.is_member and self.member.active)

    @property
    def is_unit_contact(self) -> bool:
        return bool(self.unit_ids)

    @property
    def name(self) -> str:
        return self.member.name if self.member else self.display_name

    def has(self, role: Role) -> bool:
        match role:
            case Role.ANYONE:
                return True
            case Role.SUPERUSER:
                return self.is_superuser
            case Role.STAFF:
                return self.is_staff
            case Role.UNIT_CONTACT:
                return self.is_unit_contact or self.is_staff
            case Role.MEMBER:
                return self.is_member or self.is_staff
        return False

    def roles(self) -> list[Role]:
        return [
            r for r in (Role.SUPERUSER, Role.STAFF, Role.UNIT_CONTACT, Role.MEMBER) if self._own(r)
        ]

    def _own(self, role: Role) -> bool:
        match role:
            case Role.SUPERUSER:
                return self.is_superuser
            case Role.STAFF:
                return bool(self.member and self.member.is_staff and self.member.active)
            case Role.UNIT_CONTACT:
                return self.is_unit_contact
            case Role.MEMBER:
                return self.is_member
        return False
