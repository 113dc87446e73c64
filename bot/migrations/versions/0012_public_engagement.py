"""public engagement: comments on plan items and topics, topic suggestions, proposal tips
(提案线索), netizen ratings (网民满意度), the key that signs the board's forms.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 12:51:08.284231
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "form_key",
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("secret", sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )
    op.create_table(
        "public_rating",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("visitor", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("value", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column("client", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["record_id"],
            ["record.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("record_id", "visitor", "day", name="uq_public_rating_visitor_day"),
    )
    with op.batch_alter_table("public_rating", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_public_rating_client"), ["client"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_public_rating_created_at"), ["created_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_public_rating_record_id"), ["record_id"], unique=False)

    op.create_table(
        "public_tip",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("matter", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("place", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("suggestion", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("category", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("contact", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("client", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("notified_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reviewed_by", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("taken_record_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["taken_record_id"],
            ["record.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("public_tip", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_public_tip_client"), ["client"], unique=False)
        batch_op.create_index(batch_op.f("ix_public_tip_created_at"), ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_public_tip_status"), ["status"], unique=False)

    op.create_table(
        "public_comment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("target", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=True),
        sa.Column("plan_item_id", sa.Integer(), nullable=True),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("body", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("contact", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("client", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("notified_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reviewed_by", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["plan_item_id"],
            ["plan_item.id"],
        ),
        sa.ForeignKeyConstraint(
            ["record_id"],
            ["record.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("public_comment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_public_comment_client"), ["client"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_public_comment_created_at"), ["created_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_public_comment_record_id"), ["record_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_public_comment_status"), ["status"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("public_comment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_public_comment_status"))
        batch_op.drop_index(batch_op.f("ix_public_comment_record_id"))
        batch_op.drop_index(batch_op.f("ix_public_comment_created_at"))
        batch_op.drop_index(batch_op.f("ix_public_comment_client"))

    op.drop_table("public_comment")
    with op.batch_alter_table("public_tip", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_public_tip_status"))
        batch_op.drop_index(batch_op.f("ix_public_tip_created_at"))
        batch_op.drop_index(batch_op.f("ix_public_tip_client"))

    op.drop_table("public_tip")
    with op.batch_alter_table("public_rating", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_public_rating_record_id"))
        batch_op.drop_index(batch_op.f("ix_public_rating_created_at"))
        batch_op.drop_index(batch_op.f("ix_public_rating_client"))

    op.drop_table("public_rating")
    op.drop_table("form_key")
