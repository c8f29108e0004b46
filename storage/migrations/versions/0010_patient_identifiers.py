"""patients: the clinic's own record number (MRN) and an e-mail address, to match calendar events to patients

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("patients") as batch:
        batch.add_column(sa.Column("external_id", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("email", sa.String(length=254), nullable=True))
        batch.create_unique_constraint("uq_patients_external_id", ["external_id"])


def downgrade() -> None:
    with op.batch_alter_table("patients") as batch:
        batch.drop_constraint("uq_patients_external_id", type_="unique")
        batch.drop_column("email")
        batch.drop_column("external_id")
