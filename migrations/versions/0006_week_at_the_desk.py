"""a week at the desk: midnight end times, task revisions, arrivals, over-capacity walk-ins, translated proposals

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 05:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

OLD_CHECK = "end_time > start_time"
# 00:00 as an end time means midnight; SQLite compares times as text, hence the literal.
NEW_CHECK = "end_time > start_time OR end_time < '00:00:01'"
TABLES = ("tasks", "task_templates", "proposals")


def _replace_check(table, condition):
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.drop_constraint("ends_after_start", type_="check")
        batch_op.create_check_constraint("ends_after_start", condition)


def upgrade():
    for table in TABLES:
        _replace_check(table, NEW_CHECK)

    with op.batch_alter_table('tasks', schema=None) as batch_op:
        batch_op.add_column(sa.Column('revision', sa.Integer(), server_default='0', nullable=False))

    with op.batch_alter_table('claims', schema=None) as batch_op:
        batch_op.add_column(sa.Column('arrived_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('over_capacity', sa.Boolean(), server_default=sa.false(), nullable=False))

    with op.batch_alter_table('proposals', schema=None) as batch_op:
        batch_op.add_column(sa.Column('title_sv', sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column('title_en', sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column('description_sv', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('description_en', sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table('proposals', schema=None) as batch_op:
        batch_op.drop_column('description_en')
        batch_op.drop_column('description_sv')
        batch_op.drop_column('title_en')
        batch_op.drop_column('title_sv')

    with op.batch_alter_table('claims', schema=None) as batch_op:
        batch_op.drop_column('over_capacity')
        batch_op.drop_column('arrived_at')

    with op.batch_alter_table('tasks', schema=None) as batch_op:
        batch_op.drop_column('revision')

    for table in TABLES:
        _replace_check(table, OLD_CHECK)
