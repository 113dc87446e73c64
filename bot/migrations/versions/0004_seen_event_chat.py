"""seen event chat: the re-delivery key includes the chat (QQ numbers messages per chat)

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 22:50:00

Rows already there keep an empty ``chat``: until they are pruned (after a week) they count for
their message id in any chat, so a message handled before the upgrade and re-delivered after it
is still recognised.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("seen_event", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "chat",
                sqlmodel.sql.sqltypes.AutoString(length=80),
                nullable=False,
                server_default="",
            )
        )
        batch_op.drop_constraint("uq_seen_event", type_="unique")
        batch_op.create_unique_constraint("uq_seen_event_chat", ["self_id", "chat", "message_id"])


def downgrade() -> None:
    # The old key cannot hold one message id seen in two chats: keep the first of each.
    op.execute(
        "DELETE FROM seen_event WHERE id NOT IN "
        "(SELECT keep FROM (SELECT MIN(id) AS keep FROM seen_event "
        "GROUP BY self_id, message_id) AS firsts)"
    )
    with op.batch_alter_table("seen_event", schema=None) as batch_op:
        batch_op.drop_constraint("uq_seen_event_chat", type_="unique")
        batch_op.create_unique_constraint("uq_seen_event", ["self_id", "message_id"])
        batch_op.drop_column("chat")
