"""several instances: outbox pacing shared by all, recent sends per chat found by index; a planner cursor

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Every claim asks which chats were sent to in the last seconds; without this it reads the whole outbox.
    op.create_index(op.f("ix_outbox_chat_sent"), "outbox", ["chat_id", "sent_at"])
    # The planner takes the patients whose turn has come, a batch a tick, instead of the whole roster.
    with op.batch_alter_table("patients") as batch:
        batch.add_column(sa.Column("next_plan_at", sa.DateTime(timezone=True), nullable=True))
    op.create_index(op.f("ix_patients_next_plan_at"), "patients", ["next_plan_at"])
    op.create_index(op.f("ix_patients_paused_until"), "patients", ["paused_until"])


def downgrade() -> None:
    op.drop_index(op.f("ix_patients_paused_until"), table_name="patients")
    op.drop_index(op.f("ix_patients_next_plan_at"), table_name="patients")
    with op.batch_alter_table("patients") as batch:
        batch.drop_column("next_plan_at")
    op.drop_index(op.f("ix_outbox_chat_sent"), table_name="outbox")
