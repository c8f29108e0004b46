"""outbox pacing shared by every instance: recent sends per chat are found by index

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Every claim asks which chats were sent to in the last seconds; without this it reads the whole outbox.
    op.create_index(op.f("ix_outbox_chat_sent"), "outbox", ["chat_id", "sent_at"])


def downgrade() -> None:
    op.drop_index(op.f("ix_outbox_chat_sent"), table_name="outbox")
