"""device states and upstream calls

Revision ID: 0003_device_data
Revises: 0002_connect_idempotency
Create Date: 2026-11-30 07:45:21.620631
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import fleetgate.infra.db.base

revision: str = "0003_device_data"
down_revision: str | None = "0002_connect_idempotency"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "device_states",
        sa.Column("device_id", sa.String(length=40), nullable=False),
        sa.Column("workspace_id", sa.String(length=40), nullable=False),
        sa.Column("fetched_at", fleetgate.infra.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("online_state", sa.String(length=20), nullable=True),
        sa.Column("online_checked_at", fleetgate.infra.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("raw", sa.JSON(), nullable=True),
        sa.Column("has_location", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["device_id"], ["devices.id"], name=op.f("fk_device_states_device_id_devices"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_device_states_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("device_id", name=op.f("pk_device_states")),
    )
    with op.batch_alter_table("device_states", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_device_states_workspace_id"), ["workspace_id"], unique=False)

    op.create_table(
        "upstream_calls",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("workspace_id", sa.String(length=40), nullable=False),
        sa.Column("connection_id", sa.String(length=40), nullable=True),
        sa.Column("device_id", sa.String(length=40), nullable=True),
        sa.Column("device_key", sa.String(length=64), nullable=True),
        sa.Column("category", sa.String(length=20), nullable=True),
        sa.Column("method", sa.String(length=8), nullable=False),
        sa.Column("endpoint", sa.String(length=200), nullable=False),
        sa.Column("status", sa.Integer(), nullable=True),
        sa.Column("billable", sa.Boolean(), nullable=False),
        sa.Column("at", fleetgate.infra.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["connection_id"],
            ["connections.id"],
            name=op.f("fk_upstream_calls_connection_id_connections"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["device_id"], ["devices.id"], name=op.f("fk_upstream_calls_device_id_devices"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_upstream_calls_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_upstream_calls")),
    )
    with op.batch_alter_table("upstream_calls", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_upstream_calls_at"), ["at"], unique=False)
        batch_op.create_index(batch_op.f("ix_upstream_calls_connection_id"), ["connection_id"], unique=False)
        batch_op.create_index("ix_upstream_calls_device_category_at", ["device_key", "category", "at"], unique=False)
        batch_op.create_index(batch_op.f("ix_upstream_calls_workspace_id"), ["workspace_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("upstream_calls", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_upstream_calls_workspace_id"))
        batch_op.drop_index("ix_upstream_calls_device_category_at")
        batch_op.drop_index(batch_op.f("ix_upstream_calls_connection_id"))
        batch_op.drop_index(batch_op.f("ix_upstream_calls_at"))

    op.drop_table("upstream_calls")
    with op.batch_alter_table("device_states", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_device_states_workspace_id"))

    op.drop_table("device_states")
