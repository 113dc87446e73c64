"""record counters and change versions: numbering without races; caches that follow other processes

Revision ID: 0005
Revises: 0003
Create Date: 2026-12-01 22:45:12.599996

``record_counter`` holds the last number given per (kind, year); it is seeded here from the
records already stored, so the next post continues where they end. ``change_version`` is bumped
with every change to a table that processes cache (group bindings).
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "change_version",
        sa.Column("topic", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("topic"),
    )
    op.create_table(
        "record_counter",
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("last_number", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("kind", "year"),
    )
    op.execute(
        "INSERT INTO record_counter (kind, year, last_number) "
        "SELECT kind, year, MAX(number) FROM record GROUP BY kind, year"
    )


def downgrade() -> None:
    op.drop_table("record_counter")
    op.drop_table("change_version")
