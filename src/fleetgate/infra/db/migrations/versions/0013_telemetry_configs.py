"""telemetry_configs: what each vehicle was asked to stream, and whether Tesla says it has it

Revision ID: 0013_telemetry_configs
Revises: 0012_telemetry_receiver
Create Date: 2026-12-06 17:20:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import fleetgate.infra.db.base

revision: str = "0013_telemetry_configs"
down_revision: str | None = "0012_telemetry_receiver"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "telemetry_configs",
        sa.Column("device_id", sa.String(length=40), nullable=False),
        sa.Column("workspace_id", sa.String(length=40), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("freshness_seconds", sa.Integer(), nullable=False),
        sa.Column("alert_types", sa.JSON(), nullable=False),
        sa.Column("config", sa.JSON(), nullable=False),
        sa.Column("expires_at", fleetgate.infra.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("error", sa.JSON(), nullable=True),
        sa.Column("synced_at", fleetgate.infra.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("checked_at", fleetgate.infra.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", fleetgate.infra.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", fleetgate.infra.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["device_id"], ["devices.id"], name=op.f("fk_telemetry_configs_device_id_devices"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_telemetry_configs_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("device_id", name=op.f("pk_telemetry_configs")),
    )
    with op.batch_alter_table("telemetry_configs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_telemetry_configs_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_telemetry_configs_workspace_id"), ["workspace_id"], unique=False)


def downgrade() -> None:
    op.drop_table("telemetry_configs")
