"""commands

Revision ID: 0004_commands
Revises: 0003_device_data
Create Date: 2026-11-30 09:38:03.116439
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import fleetgate.infra.db.base

revision: str = "0004_commands"
down_revision: str | None = "0003_device_data"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "commands",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("workspace_id", sa.String(length=40), nullable=False),
        sa.Column("device_id", sa.String(length=40), nullable=False),
        sa.Column("connection_id", sa.String(length=40), nullable=False),
        sa.Column("customer_id", sa.String(length=40), nullable=False),
        sa.Column("command", sa.String(length=60), nullable=False),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("idempotent", sa.Boolean(), nullable=False),
        sa.Column("wake", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("error", sa.JSON(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("not_before", fleetgate.infra.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", fleetgate.infra.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("claimed_by", sa.String(length=60), nullable=True),
        sa.Column("lease_expires_at", fleetgate.infra.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("sent_at", fleetgate.infra.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("idempotency_key", sa.String(length=200), nullable=True),
        sa.Column("request_hash", sa.String(length=64), nullable=True),
        sa.Column("created_at", fleetgate.infra.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("started_at", fleetgate.infra.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("completed_at", fleetgate.infra.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("updated_at", fleetgate.infra.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["connection_id"],
            ["connections.id"],
            name=op.f("fk_commands_connection_id_connections"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], name=op.f("fk_commands_customer_id_customers"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["device_id"], ["devices.id"], name=op.f("fk_commands_device_id_devices"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"], ["workspaces.id"], name=op.f("fk_commands_workspace_id_workspaces"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_commands")),
        sa.UniqueConstraint("workspace_id", "idempotency_key", name=op.f("uq_commands_workspace_id")),
    )
    with op.batch_alter_table("commands", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_commands_connection_id"), ["connection_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_commands_customer_id"), ["customer_id"], unique=False)
        batch_op.create_index("ix_commands_device_created", ["device_id", "created_at"], unique=False)
        batch_op.create_index("ix_commands_status_not_before", ["status", "not_before"], unique=False)
        batch_op.create_index(batch_op.f("ix_commands_workspace_id"), ["workspace_id"], unique=False)
        batch_op.create_index(
            "uq_commands_running_device",
            ["device_id"],
            unique=True,
            sqlite_where=sa.text("status = 'in_progress'"),
            postgresql_where=sa.text("status = 'in_progress'"),
        )


def downgrade() -> None:
    with op.batch_alter_table("commands", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_commands_running_device",
            sqlite_where=sa.text("status = 'in_progress'"),
            postgresql_where=sa.text("status = 'in_progress'"),
        )
        batch_op.drop_index(batch_op.f("ix_commands_workspace_id"))
        batch_op.drop_index("ix_commands_status_not_before")
        batch_op.drop_index("ix_commands_device_created")
        batch_op.drop_index(batch_op.f("ix_commands_customer_id"))
        batch_op.drop_index(batch_op.f("ix_commands_connection_id"))

    op.drop_table("commands")
