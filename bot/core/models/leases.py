"""Leases: which process (instance) does the work only one may do at a time."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from bot.core.models.base import utc_field


class Lease(SQLModel, table=True):
    """One row per lease name (``schedules``, ``outbox:<account>``): who holds it, until when.

    Taken and renewed by one conditional INSERT … ON CONFLICT DO UPDATE (bot/core/leases.py):
    the holder renews it every few seconds; once ``expires_at`` has passed, anyone may take it.
    """

    __tablename__ = "lease"

    name: str = Field(max_length=100, primary_key=True)
    holder: str = Field(max_length=128)
    acquired_at: datetime = utc_field()  # when the current holder took it
    renewed_at: datetime = utc_field()
    expires_at: datetime = utc_field()
