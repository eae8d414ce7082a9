"""telemetry budgets: signals a day per device (telemetry_configs) and per workspace, and a config paused until when

Revision ID: 0015_telemetry_budgets
Revises: 0014_telemetry_stream_seen
Create Date: 2026-12-06 17:15:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import fleetgate.infra.db.base

revision: str = "0015_telemetry_budgets"
down_revision: str | None = "0014_telemetry_stream_seen"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("telemetry_configs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("signals_per_day_budget", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("paused_until", fleetgate.infra.db.base.UTCDateTime(timezone=True), nullable=True)
        )
    with op.batch_alter_table("workspaces", schema=None) as batch_op:
        batch_op.add_column(sa.Column("telemetry_signals_per_day_budget", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("workspaces", schema=None) as batch_op:
        batch_op.drop_column("telemetry_signals_per_day_budget")
    with op.batch_alter_table("telemetry_configs", schema=None) as batch_op:
        batch_op.drop_column("paused_until")
        batch_op.drop_column("signals_per_day_budget")
