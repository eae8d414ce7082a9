"""connect_sessions.state_hash becomes oauth_state_hash: the hash of OAuth's `state` parameter, named as such

Revision ID: 0007_oauth_state_hash
Revises: 0006_device_changed_by_command
Create Date: 2026-12-05 09:00:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0007_oauth_state_hash"
down_revision: str | None = "0006_device_changed_by_command"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Two steps: SQLite's batch mode copies the table, and a constraint created in the same copy as the rename would
    # name a column the copy does not have yet.
    with op.batch_alter_table("connect_sessions", schema=None) as batch_op:
        batch_op.drop_constraint("uq_connect_sessions_state_hash", type_="unique")
        batch_op.alter_column("state_hash", new_column_name="oauth_state_hash")
    with op.batch_alter_table("connect_sessions", schema=None) as batch_op:
        batch_op.create_unique_constraint("uq_connect_sessions_oauth_state_hash", ["oauth_state_hash"])


def downgrade() -> None:
    with op.batch_alter_table("connect_sessions", schema=None) as batch_op:
        batch_op.drop_constraint("uq_connect_sessions_oauth_state_hash", type_="unique")
        batch_op.alter_column("oauth_state_hash", new_column_name="state_hash")
    with op.batch_alter_table("connect_sessions", schema=None) as batch_op:
        batch_op.create_unique_constraint("uq_connect_sessions_state_hash", ["state_hash"])
