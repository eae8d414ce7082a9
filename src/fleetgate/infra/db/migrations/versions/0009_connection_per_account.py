"""connections: one per Tesla account and workspace instead of one per customer; tesla_subject indexed

The per-customer unique constraint goes: a workspace now keeps one connection per Tesla account whatever customer
connects it (see `link_connection`), and earlier data may hold several, which a new constraint would refuse. The
index serves looking a Tesla account up in a workspace and across workspaces.

Revision ID: 0009_connection_per_account
Revises: 0008_console_logins
Create Date: 2026-12-05 15:30:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0009_connection_per_account"
down_revision: str | None = "0008_console_logins"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("connections", schema=None) as batch_op:
        batch_op.drop_constraint("uq_connections_workspace_id", type_="unique")
        batch_op.create_index(batch_op.f("ix_connections_tesla_subject"), ["tesla_subject"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("connections", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_connections_tesla_subject"))
        batch_op.create_unique_constraint(
            "uq_connections_workspace_id", ["workspace_id", "customer_id", "tesla_subject"]
        )
