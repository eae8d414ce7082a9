"""telemetry_signal_hours: the streaming-signal ledger rolled up per device and hour once records are old

Revision ID: 0016_telemetry_signal_hours
Revises: 0015_telemetry_budgets
Create Date: 2026-12-06 20:20:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import fleetgate.infra.db.base

revision: str = "0016_telemetry_signal_hours"
down_revision: str | None = "0015_telemetry_budgets"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "telemetry_signal_hours",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("workspace_id", sa.String(length=40), nullable=False),
        sa.Column("connection_id", sa.String(length=40), nullable=True),
        sa.Column("device_id", sa.String(length=40), nullable=True),
        sa.Column("hour", fleetgate.infra.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("records", sa.Integer(), nullable=False),
        sa.Column("signals", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_telemetry_signal_hours_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["connection_id"],
            ["connections.id"],
            name=op.f("fk_telemetry_signal_hours_connection_id_connections"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["device_id"],
            ["devices.id"],
            name=op.f("fk_telemetry_signal_hours_device_id_devices"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_telemetry_signal_hours")),
        sa.UniqueConstraint(
            "workspace_id",
            "connection_id",
            "device_id",
            "hour",
            name=op.f("uq_telemetry_signal_hours_workspace_id"),
        ),
    )
    with op.batch_alter_table("telemetry_signal_hours", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_telemetry_signal_hours_connection_id"), ["connection_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_telemetry_signal_hours_device_id"), ["device_id"], unique=False)
        batch_op.create_index("ix_telemetry_signal_hours_workspace_hour", ["workspace_id", "hour"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("telemetry_signal_hours", schema=None) as batch_op:
        batch_op.drop_index("ix_telemetry_signal_hours_workspace_hour")
        batch_op.drop_index(batch_op.f("ix_telemetry_signal_hours_device_id"))
        batch_op.drop_index(batch_op.f("ix_telemetry_signal_hours_connection_id"))
    op.drop_table("telemetry_signal_hours")
