"""consultation plan and news: plan items (年度协商计划) made of topics, what is recorded on
them (activities, results, 批示, follow-up), and work news (政协动态)

Revision ID: 0011
Revises: 0006
Create Date: 2026-12-02 06:51:57.601472
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0011"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "news_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("body", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("images", sa.JSON(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("author_user_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("author_name", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("source", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("withdrawn_by", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("news_item", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_news_item_created_at"), ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_news_item_status"), ["status"], unique=False)

    op.create_table(
        "plan_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("form", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("form_number", sa.Integer(), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("public", sa.Boolean(), nullable=False),
        sa.Column("lead_leader", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("unit_name", sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
        sa.Column("responsible_name", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column(
            "responsible_user_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True
        ),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("planned_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("planned_by", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["record_id"],
            ["record.id"],
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"],
            ["unit.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("record_id", name="uq_plan_item_record"),
        sa.UniqueConstraint("year", "form", "form_number", name="uq_plan_item_number"),
    )
    with op.batch_alter_table("plan_item", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plan_item_due_date"), ["due_date"], unique=False)
        batch_op.create_index(batch_op.f("ix_plan_item_year"), ["year"], unique=False)

    op.create_table(
        "plan_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_item_id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("subtype", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("on_date", sa.Date(), nullable=True),
        sa.Column("participants", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("content", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("attachments", sa.JSON(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_user_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("actor_name", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["plan_item_id"],
            ["plan_item.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("plan_entry", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plan_entry_at"), ["at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_plan_entry_plan_item_id"), ["plan_item_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("plan_entry", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plan_entry_plan_item_id"))
        batch_op.drop_index(batch_op.f("ix_plan_entry_at"))

    op.drop_table("plan_entry")
    with op.batch_alter_table("plan_item", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plan_item_year"))
        batch_op.drop_index(batch_op.f("ix_plan_item_due_date"))

    op.drop_table("plan_item")
    with op.batch_alter_table("news_item", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_news_item_status"))
        batch_op.drop_index(batch_op.f("ix_news_item_created_at"))

    op.drop_table("news_item")
