"""telemetry_connectivity.seen_at: the receiver's heartbeat of an open stream, so a receiver that died is noticed

Revision ID: 0014_telemetry_stream_seen
Revises: 0013_telemetry_configs
Create Date: 2026-12-06 17:10:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import fleetgate.infra.db.base

revision: str = "0014_telemetry_stream_seen"
down_revision: str | None = "0013_telemetry_configs"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("telemetry_connectivity", schema=None) as batch_op:
        batch_op.add_column(sa.Column("seen_at", fleetgate.infra.db.base.UTCDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("telemetry_connectivity", schema=None) as batch_op:
        batch_op.drop_column("seen_at")
