"""sites.data_version: bumped with every change to what a site's board shows; the task lock moves to it

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 11:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('sites', schema=None) as batch_op:
        batch_op.add_column(sa.Column('data_version', sa.Integer(), server_default='0', nullable=False))
    # Claims lock the site's row now (and bump its version in the same statement).
    with op.batch_alter_table('tasks', schema=None) as batch_op:
        batch_op.drop_column('lock_version')


def downgrade():
    with op.batch_alter_table('tasks', schema=None) as batch_op:
        batch_op.add_column(sa.Column('lock_version', sa.Integer(), server_default='0', nullable=False))
    with op.batch_alter_table('sites', schema=None) as batch_op:
        batch_op.drop_column('data_version')
