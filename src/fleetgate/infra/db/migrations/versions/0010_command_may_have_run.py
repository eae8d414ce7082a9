"""commands.may_have_run: an attempt may have reached the car, so a later failure cannot say the command did not run

An idempotent command is sent again after an answer that was lost; if a later attempt then fails without reaching
the car, the command may still have run on the first. The flag survives the retries.

Revision ID: 0010_command_may_have_run
Revises: 0009_connection_per_account
Create Date: 2026-12-06 04:10:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010_command_may_have_run"
down_revision: str | None = "0009_connection_per_account"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("commands", schema=None) as batch_op:
        batch_op.add_column(sa.Column("may_have_run", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("commands", schema=None) as batch_op:
        batch_op.drop_column("may_have_run")
