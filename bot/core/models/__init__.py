"""All table models; importing this package registers them on SQLModel.metadata."""

from bot.core.models.channels import CHANNEL_LABELS, ChannelBinding, ChannelKind
from bot.core.models.events import SeenEvent
from bot.core.models.people import Member, Sector
from bot.core.models.units import Unit, UnitContact

__all__ = [
    "CHANNEL_LABELS",
    "ChannelBinding",
    "ChannelKind",
    "Member",
    "Sector",
    "SeenEvent",
    "Unit",
    "UnitContact",
]
