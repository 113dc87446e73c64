"""Alembic environment: runs on a connection handed in by the bot, or on the configured URL."""

from __future__ import annotations

import asyncio
from typing import Any

from alembic import context
from sqlmodel import SQLModel

import bot.core.models  # noqa: F401  (registers the tables)

target_metadata = SQLModel.metadata
config = context.config


def _render_item(type_: str, obj: Any, autogen_context: Any) -> str | bool:
    """Render our UtcDateTime as a plain timezone-aware DateTime in migration files."""
    from bot.core.models.base import UtcDateTime

    if type_ == "type" and isinstance(obj, UtcDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def _configure(connection: Any) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        render_item=_render_item,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_offline() -> None:
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


async def _run_async(url: str) -> None:
    from bot.core.db import create_engine

    engine = create_engine(url)
    async with engine.begin() as conn:
        await conn.run_sync(_configure)
    await engine.dispose()


def run_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
        return
    url = config.get_main_option("sqlalchemy.url")
    if not url:
        from bot.settings import load_settings

        url = load_settings().resolved_database_url()
    asyncio.run(_run_async(url))


if context.is_offline_mode():
    run_offline()
else:
    run_online()
