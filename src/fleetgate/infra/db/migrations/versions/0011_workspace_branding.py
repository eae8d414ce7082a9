"""workspaces.display_name, logo_url, accent_color: how the hosted pages present the application to its users

Revision ID: 0011_workspace_branding
Revises: 0010_command_may_have_run
Create Date: 2026-12-07 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011_workspace_branding"
down_revision: str | None = "0010_command_may_have_run"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("workspaces", schema=None) as batch_op:
        batch_op.add_column(sa.Column("display_name", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("logo_url", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("accent_color", sa.String(length=7), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("workspaces", schema=None) as batch_op:
        batch_op.drop_column("accent_color")
        batch_op.drop_column("logo_url")
        batch_op.drop_column("display_name")
