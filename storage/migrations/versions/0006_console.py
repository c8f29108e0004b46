"""the staff console: sign-in links, sessions, deactivated staff, reviewed possible crises

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("staff") as batch:
        batch.add_column(sa.Column("deactivated_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("audit_events") as batch:
        batch.alter_column("patient_id", existing_type=sa.Integer(), nullable=True)
    op.create_index(op.f("ix_audit_events_at"), "audit_events", ["at"])
    # The console's "silent for days" reads recent activity only.
    op.create_index(op.f("ix_checkins_answered_at"), "checkins", ["answered_at"])
    op.create_index(op.f("ix_journal_entries_created_at"), "journal_entries", ["created_at"])
    with op.batch_alter_table("crisis_events") as batch:
        batch.add_column(sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("reviewed_by", sa.String(length=120), nullable=True))
    op.create_table(
        "login_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["staff_id"], ["staff.id"], name=op.f("fk_login_links_staff_id_staff"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_links")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_login_links_token_hash")),
    )
    op.create_index(op.f("ix_login_links_staff_id"), "login_links", ["staff_id"])
    op.create_table(
        "console_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("csrf_token", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["staff_id"], ["staff.id"], name=op.f("fk_console_sessions_staff_id_staff"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_console_sessions")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_console_sessions_token_hash")),
    )
    op.create_index(op.f("ix_console_sessions_staff_id"), "console_sessions", ["staff_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_console_sessions_staff_id"), table_name="console_sessions")
    op.drop_table("console_sessions")
    op.drop_index(op.f("ix_login_links_staff_id"), table_name="login_links")
    op.drop_table("login_links")
    op.drop_index(op.f("ix_journal_entries_created_at"), table_name="journal_entries")
    op.drop_index(op.f("ix_checkins_answered_at"), table_name="checkins")
    op.drop_index(op.f("ix_audit_events_at"), table_name="audit_events")
    with op.batch_alter_table("crisis_events") as batch:
        batch.drop_column("reviewed_by")
        batch.drop_column("reviewed_at")
    with op.batch_alter_table("staff") as batch:
        batch.drop_column("deactivated_at")
