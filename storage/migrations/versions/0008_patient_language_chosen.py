"""languages: whether a patient's language was chosen (invite, /language) or is the clinic's default

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Patients enrolled before this kept the language they had: it counts as chosen.
    with op.batch_alter_table("patients") as batch:
        batch.add_column(sa.Column("language_chosen", sa.Boolean(), nullable=False, server_default=sa.true()))


def downgrade() -> None:
    with op.batch_alter_table("patients") as batch:
        batch.drop_column("language_chosen")
