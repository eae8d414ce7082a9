"""initial schema: workspaces, api keys, customers, connect sessions, connections, devices

Revision ID: 0001
Revises:
Create Date: 2026-11-30 07:09:02.856451
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import fleetgate.infra.db.base

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "workspaces",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("created_at", fleetgate.infra.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workspaces")),
    )
    op.create_table(
        "api_keys",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("workspace_id", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("prefix", sa.String(length=20), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", fleetgate.infra.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("last_used_at", fleetgate.infra.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", fleetgate.infra.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["workspace_id"], ["workspaces.id"], name=op.f("fk_api_keys_workspace_id_workspaces"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_keys")),
        sa.UniqueConstraint("key_hash", name=op.f("uq_api_keys_key_hash")),
    )
    with op.batch_alter_table("api_keys", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_api_keys_workspace_id"), ["workspace_id"], unique=False)

    op.create_table(
        "customers",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("workspace_id", sa.String(length=40), nullable=False),
        sa.Column("reference_id", sa.String(length=200), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=True),
        sa.Column("email", sa.String(length=320), nullable=True),
        sa.Column("created_at", fleetgate.infra.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"], ["workspaces.id"], name=op.f("fk_customers_workspace_id_workspaces"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customers")),
        sa.UniqueConstraint("workspace_id", "reference_id", name=op.f("uq_customers_workspace_id")),
    )
    with op.batch_alter_table("customers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_customers_workspace_id"), ["workspace_id"], unique=False)

    op.create_table(
        "connections",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("workspace_id", sa.String(length=40), nullable=False),
        sa.Column("customer_id", sa.String(length=40), nullable=False),
        sa.Column("tesla_subject", sa.String(length=200), nullable=False),
        sa.Column("region", sa.String(length=4), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("status_reason", sa.String(length=500), nullable=True),
        sa.Column("granted_scopes", sa.JSON(), nullable=False),
        sa.Column("requested_access", sa.JSON(), nullable=False),
        sa.Column("access_token_enc", sa.Text(), nullable=True),
        sa.Column("refresh_token_enc", sa.Text(), nullable=True),
        sa.Column("access_expires_at", fleetgate.infra.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("token_version", sa.Integer(), nullable=False),
        sa.Column("refreshed_at", fleetgate.infra.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("synced_at", fleetgate.infra.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", fleetgate.infra.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", fleetgate.infra.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", fleetgate.infra.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], name=op.f("fk_connections_customer_id_customers"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"], ["workspaces.id"], name=op.f("fk_connections_workspace_id_workspaces"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_connections")),
        sa.UniqueConstraint("workspace_id", "customer_id", "tesla_subject", name=op.f("uq_connections_workspace_id")),
    )
    with op.batch_alter_table("connections", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_connections_customer_id"), ["customer_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_connections_workspace_id"), ["workspace_id"], unique=False)

    op.create_table(
        "connect_sessions",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("workspace_id", sa.String(length=40), nullable=False),
        sa.Column("customer_id", sa.String(length=40), nullable=False),
        sa.Column("connection_id", sa.String(length=40), nullable=True),
        sa.Column("reconnect", sa.Boolean(), nullable=False),
        sa.Column("redirect_url", sa.String(length=2000), nullable=True),
        sa.Column("requested_access", sa.JSON(), nullable=False),
        sa.Column("require_all", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("state_hash", sa.String(length=64), nullable=True),
        sa.Column("code_verifier_enc", sa.String(length=500), nullable=True),
        sa.Column("nonce", sa.String(length=100), nullable=True),
        sa.Column("error_code", sa.String(length=60), nullable=True),
        sa.Column("error_message", sa.String(length=1000), nullable=True),
        sa.Column("result", sa.JSON(), nullable=True),
        sa.Column("expires_at", fleetgate.infra.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_at", fleetgate.infra.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("started_at", fleetgate.infra.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("completed_at", fleetgate.infra.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["connection_id"],
            ["connections.id"],
            name=op.f("fk_connect_sessions_connection_id_connections"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customers.id"],
            name=op.f("fk_connect_sessions_customer_id_customers"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_connect_sessions_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_connect_sessions")),
        sa.UniqueConstraint("state_hash", name=op.f("uq_connect_sessions_state_hash")),
    )
    with op.batch_alter_table("connect_sessions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_connect_sessions_connection_id"), ["connection_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_connect_sessions_customer_id"), ["customer_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_connect_sessions_workspace_id"), ["workspace_id"], unique=False)

    op.create_table(
        "devices",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("workspace_id", sa.String(length=40), nullable=False),
        sa.Column("connection_id", sa.String(length=40), nullable=False),
        sa.Column("customer_id", sa.String(length=40), nullable=False),
        sa.Column("type", sa.String(length=20), nullable=False),
        sa.Column("external_id", sa.String(length=64), nullable=False),
        sa.Column("display_name", sa.String(length=200), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("command_signing", sa.String(length=20), nullable=True),
        sa.Column("virtual_key_paired", sa.Boolean(), nullable=True),
        sa.Column("virtual_key_checked_at", fleetgate.infra.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("firmware_version", sa.String(length=40), nullable=True),
        sa.Column("resource_type", sa.String(length=40), nullable=True),
        sa.Column("created_at", fleetgate.infra.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", fleetgate.infra.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("removed_at", fleetgate.infra.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["connection_id"], ["connections.id"], name=op.f("fk_devices_connection_id_connections"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], name=op.f("fk_devices_customer_id_customers"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"], ["workspaces.id"], name=op.f("fk_devices_workspace_id_workspaces"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_devices")),
        sa.UniqueConstraint("connection_id", "external_id", name=op.f("uq_devices_connection_id")),
    )
    with op.batch_alter_table("devices", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_devices_connection_id"), ["connection_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_devices_customer_id"), ["customer_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_devices_workspace_id"), ["workspace_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("devices", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_devices_workspace_id"))
        batch_op.drop_index(batch_op.f("ix_devices_customer_id"))
        batch_op.drop_index(batch_op.f("ix_devices_connection_id"))

    op.drop_table("devices")
    with op.batch_alter_table("connect_sessions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_connect_sessions_workspace_id"))
        batch_op.drop_index(batch_op.f("ix_connect_sessions_customer_id"))
        batch_op.drop_index(batch_op.f("ix_connect_sessions_connection_id"))

    op.drop_table("connect_sessions")
    with op.batch_alter_table("connections", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_connections_workspace_id"))
        batch_op.drop_index(batch_op.f("ix_connections_customer_id"))

    op.drop_table("connections")
    with op.batch_alter_table("customers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_customers_workspace_id"))

    op.drop_table("customers")
    with op.batch_alter_table("api_keys", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_api_keys_workspace_id"))

    op.drop_table("api_keys")
    op.drop_table("workspaces")
