"""console_logins: each console login on the server, so that logging out ends it wherever its cookie was copied

Revision ID: 0008_console_logins
Revises: 0007_oauth_state_hash
Create Date: 2026-12-05 16:15:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import fleetgate.infra.db.base

revision: str = "0008_console_logins"
down_revision: str | None = "0007_oauth_state_hash"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "console_logins",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("api_key_id", sa.String(length=40), nullable=False),
        sa.Column("created_at", fleetgate.infra.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", fleetgate.infra.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["api_key_id"], ["api_keys.id"], name=op.f("fk_console_logins_api_key_id_api_keys"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_console_logins")),
    )
    op.create_index(op.f("ix_console_logins_api_key_id"), "console_logins", ["api_key_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_console_logins_api_key_id"), table_name="console_logins")
    op.drop_table("console_logins")
