"""handling practice (issue 14 items 1-5): consultation with the proposer, quality rating,
key proposals' supervising leaders, the yearly look-back at B answers, excellent proposals;
the proposer's "consulted" answer on evaluations

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 06:48:07.391991
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "consultation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("method", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("content", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("recorded_by", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["record_id"],
            ["record.id"],
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"],
            ["unit.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("consultation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_consultation_record_id"), ["record_id"], unique=False)

    op.create_table(
        "excellent_proposal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("marked_by", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("marked_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["record_id"],
            ["record.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("record_id", name="uq_excellent_proposal"),
    )
    with op.batch_alter_table("excellent_proposal", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_excellent_proposal_year"), ["year"], unique=False)

    op.create_table(
        "key_supervision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("leader", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("set_by", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["record_id"],
            ["record.id"],
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"],
            ["unit.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("record_id", name="uq_key_supervision"),
    )
    op.create_table(
        "quality_rating",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("grade", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("opinion", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("rated_by", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("rated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["record_id"],
            ["record.id"],
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"],
            ["unit.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("record_id", name="uq_quality_rating"),
    )
    op.create_table(
        "lookback",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("answer_id", sa.Integer(), nullable=True),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("asked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("outcome", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True),
        sa.Column("content", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("answered_by", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["answer_id"],
            ["answer.id"],
        ),
        sa.ForeignKeyConstraint(
            ["record_id"],
            ["record.id"],
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"],
            ["unit.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("record_id", "year", name="uq_lookback"),
    )
    with op.batch_alter_table("lookback", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_lookback_record_id"), ["record_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_lookback_year"), ["year"], unique=False)

    with op.batch_alter_table("evaluation", schema=None) as batch_op:
        batch_op.add_column(sa.Column("consulted", sa.Boolean(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("evaluation", schema=None) as batch_op:
        batch_op.drop_column("consulted")

    with op.batch_alter_table("lookback", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_lookback_year"))
        batch_op.drop_index(batch_op.f("ix_lookback_record_id"))

    op.drop_table("lookback")
    op.drop_table("quality_rating")
    op.drop_table("key_supervision")
    with op.batch_alter_table("excellent_proposal", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_excellent_proposal_year"))

    op.drop_table("excellent_proposal")
    with op.batch_alter_table("consultation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_consultation_record_id"))

    op.drop_table("consultation")
