"""crisis alerts and events

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table(
        "crisis_alerts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=True),
        sa.Column("telegram_user_id", sa.BigInteger(), nullable=False),
        sa.Column("person", sa.String(length=200), nullable=False),
        sa.Column("tier", sa.String(length=16), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_event_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("events", sa.Integer(), nullable=False),
        sa.Column("rounds", sa.Integer(), nullable=False),
        sa.Column("next_alert_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("escalated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("acknowledged_by", sa.Integer(), nullable=True),
        sa.Column("acknowledged_by_name", sa.String(length=120), nullable=True),
        sa.Column("staff_messages", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["acknowledged_by"], ["staff.id"], name=op.f("fk_crisis_alerts_acknowledged_by_staff"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patients.id"], name=op.f("fk_crisis_alerts_patient_id_patients"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_crisis_alerts")),
    )
    with op.batch_alter_table("crisis_alerts", schema=None) as batch_op:
        batch_op.create_index("ix_crisis_alerts_due", ["acknowledged_at", "next_alert_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_crisis_alerts_patient_id"), ["patient_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_crisis_alerts_telegram_user_id"), ["telegram_user_id"], unique=False)

    op.create_table(
        "crisis_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("alert_id", sa.Integer(), nullable=True),
        sa.Column("patient_id", sa.Integer(), nullable=True),
        sa.Column("telegram_user_id", sa.BigInteger(), nullable=False),
        sa.Column("telegram_message_id", sa.BigInteger(), nullable=True),
        sa.Column("tier", sa.String(length=16), nullable=False),
        sa.Column("rule", sa.String(length=120), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=True),
        sa.Column("excerpt", sa.Text(), nullable=False),
        sa.Column("detected_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["alert_id"],
            ["crisis_alerts.id"],
            name=op.f("fk_crisis_events_alert_id_crisis_alerts"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patients.id"], name=op.f("fk_crisis_events_patient_id_patients"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_crisis_events")),
    )
    with op.batch_alter_table("crisis_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_crisis_events_alert_id"), ["alert_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_crisis_events_patient_id"), ["patient_id"], unique=False)


def downgrade() -> None:

    with op.batch_alter_table("crisis_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_crisis_events_patient_id"))
        batch_op.drop_index(batch_op.f("ix_crisis_events_alert_id"))

    op.drop_table("crisis_events")
    with op.batch_alter_table("crisis_alerts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_crisis_alerts_telegram_user_id"))
        batch_op.drop_index(batch_op.f("ix_crisis_alerts_patient_id"))
        batch_op.drop_index("ix_crisis_alerts_due")

    op.drop_table("crisis_alerts")
