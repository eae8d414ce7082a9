"""connect sessions: Idempotency-Key and a hash of the request body it was first used with

Revision ID: 0002_connect_idempotency
Revises: 0001
Create Date: 2026-11-30 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002_connect_idempotency"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("connect_sessions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("idempotency_key", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("request_hash", sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(
            batch_op.f("uq_connect_sessions_workspace_id"), ["workspace_id", "idempotency_key"]
        )


def downgrade() -> None:
    with op.batch_alter_table("connect_sessions", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_connect_sessions_workspace_id"), type_="unique")
        batch_op.drop_column("request_hash")
        batch_op.drop_column("idempotency_key")
