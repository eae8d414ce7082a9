"""device changed by command

Revision ID: 0006_device_changed_by_command
Revises: 0005_events_webhooks
Create Date: 2026-11-30 10:35:32.690857
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import fleetgate.infra.db.base

revision: str = "0006_device_changed_by_command"
down_revision: str | None = "0005_events_webhooks"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("devices", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("changed_by_command_at", fleetgate.infra.db.base.UTCDateTime(timezone=True), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("devices", schema=None) as batch_op:
        batch_op.drop_column("changed_by_command_at")
