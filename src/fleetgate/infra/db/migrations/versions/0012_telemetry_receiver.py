"""telemetry_records (resends, streaming signals), telemetry_connectivity, device_states' per-field times

Revision ID: 0012_telemetry_receiver
Revises: 0011_workspace_branding
Create Date: 2026-12-06 17:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import fleetgate.infra.db.base

revision: str = "0012_telemetry_receiver"
down_revision: str | None = "0011_workspace_branding"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MOMENT = fleetgate.infra.db.base.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "telemetry_records",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("workspace_id", sa.String(length=40), nullable=False),
        sa.Column("connection_id", sa.String(length=40), nullable=True),
        sa.Column("device_id", sa.String(length=40), nullable=True),
        sa.Column("topic", sa.String(length=20), nullable=False),
        sa.Column("created_at", MOMENT, nullable=False),
        sa.Column("received_at", MOMENT, nullable=False),
        sa.Column("signals", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_telemetry_records_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["connection_id"],
            ["connections.id"],
            name=op.f("fk_telemetry_records_connection_id_connections"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["device_id"], ["devices.id"], name=op.f("fk_telemetry_records_device_id_devices"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_telemetry_records")),
        sa.UniqueConstraint("device_id", "topic", "created_at", name=op.f("uq_telemetry_records_device_id")),
    )
    with op.batch_alter_table("telemetry_records", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_telemetry_records_connection_id"), ["connection_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_telemetry_records_received_at"), ["received_at"], unique=False)
        batch_op.create_index("ix_telemetry_records_workspace_received", ["workspace_id", "received_at"], unique=False)

    op.create_table(
        "telemetry_connectivity",
        sa.Column("device_id", sa.String(length=40), nullable=False),
        sa.Column("workspace_id", sa.String(length=40), nullable=False),
        sa.Column("connected", sa.Boolean(), nullable=False),
        sa.Column("stream_id", sa.String(length=64), nullable=False),
        sa.Column("network_interface", sa.String(length=40), nullable=True),
        sa.Column("changed_at", MOMENT, nullable=False),
        sa.ForeignKeyConstraint(
            ["device_id"], ["devices.id"], name=op.f("fk_telemetry_connectivity_device_id_devices"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_telemetry_connectivity_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("device_id", name=op.f("pk_telemetry_connectivity")),
    )
    with op.batch_alter_table("telemetry_connectivity", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_telemetry_connectivity_workspace_id"), ["workspace_id"], unique=False)

    with op.batch_alter_table("device_states", schema=None) as batch_op:
        batch_op.add_column(sa.Column("field_times", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("polled_at", MOMENT, nullable=True))
        batch_op.add_column(sa.Column("streamed", sa.Boolean(), server_default=sa.false(), nullable=False))
    # Every state stored so far was polled.
    op.execute("UPDATE device_states SET polled_at = fetched_at")


def downgrade() -> None:
    with op.batch_alter_table("device_states", schema=None) as batch_op:
        batch_op.drop_column("streamed")
        batch_op.drop_column("polled_at")
        batch_op.drop_column("field_times")
    with op.batch_alter_table("telemetry_connectivity", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_telemetry_connectivity_workspace_id"))
    op.drop_table("telemetry_connectivity")
    with op.batch_alter_table("telemetry_records", schema=None) as batch_op:
        batch_op.drop_index("ix_telemetry_records_workspace_received")
        batch_op.drop_index(batch_op.f("ix_telemetry_records_received_at"))
        batch_op.drop_index(batch_op.f("ix_telemetry_records_connection_id"))
    op.drop_table("telemetry_records")
