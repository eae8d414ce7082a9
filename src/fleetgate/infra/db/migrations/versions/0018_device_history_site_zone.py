"""device_histories.site_time_zone: the site's own time zone, whatever zone a range was cut in

Revision ID: 0018_device_history_site_zone
Revises: 0017_device_histories
Create Date: 2026-12-06 21:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018_device_history_site_zone"
down_revision: str | None = "0017_device_histories"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("device_histories", schema=None) as batch_op:
        batch_op.add_column(sa.Column("site_time_zone", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("device_histories", schema=None) as batch_op:
        batch_op.drop_column("site_time_zone")
