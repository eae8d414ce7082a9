"""device_histories: a device's energy, backup or charging history over a range, as last read from Tesla

Revision ID: 0017_device_histories
Revises: 0016_telemetry_signal_hours
Create Date: 2026-12-06 20:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import fleetgate.infra.db.base

revision: str = "0017_device_histories"
down_revision: str | None = "0016_telemetry_signal_hours"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "device_histories",
        sa.Column("device_id", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("period", sa.String(length=10), nullable=False),
        sa.Column("range_start", fleetgate.infra.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("range_end", fleetgate.infra.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("workspace_id", sa.String(length=40), nullable=False),
        sa.Column("time_zone", sa.String(length=64), nullable=False),
        sa.Column("closed", sa.Boolean(), nullable=False),
        sa.Column("fetched_at", fleetgate.infra.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["device_id"],
            ["devices.id"],
            name=op.f("fk_device_histories_device_id_devices"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_device_histories_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "device_id", "kind", "period", "range_start", "range_end", name=op.f("pk_device_histories")
        ),
    )
    with op.batch_alter_table("device_histories", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_device_histories_workspace_id"), ["workspace_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("device_histories", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_device_histories_workspace_id"))
    op.drop_table("device_histories")
