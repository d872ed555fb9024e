"""daily rollups

The tables start empty: the statistics roll each past day up the first time they read it
(or `dropin rollup-stats` does it ahead).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 11:31:19.116958

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('rolled_up_dates',
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('days', sa.Integer(), nullable=False),
    sa.Column('closed_days', sa.Integer(), nullable=False),
    sa.Column('meals_participants', sa.Integer(), nullable=False),
    sa.Column('meals_others', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('date', name=op.f('pk_rolled_up_dates'))
    )
    op.create_table('daily_rollups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('partner_id', sa.Integer(), nullable=True),
    sa.Column('category', sa.String(length=30), nullable=True),
    sa.Column('outcome_unit', sa.String(length=60), nullable=True),
    sa.Column('outcome_amount', sa.Numeric(precision=14, scale=1, asdecimal=False), nullable=False),
    sa.Column('all_tasks', sa.Integer(), nullable=False),
    sa.Column('tasks', sa.Integer(), nullable=False),
    sa.Column('closed_tasks', sa.Integer(), nullable=False),
    sa.Column('places', sa.Integer(), nullable=False),
    sa.Column('participations', sa.Integer(), nullable=False),
    sa.Column('claims', sa.Integer(), nullable=False),
    sa.Column('kept', sa.Integer(), nullable=False),
    sa.Column('released', sa.Integer(), nullable=False),
    sa.Column('cancelled', sa.Integer(), nullable=False),
    sa.Column('walk_ins', sa.Integer(), nullable=False),
    sa.Column('first_time', sa.Integer(), nullable=False),
    sa.Column('returners', sa.Integer(), nullable=False),
    sa.Column('arrived', sa.Integer(), nullable=False),
    sa.Column('checked_claims', sa.Integer(), nullable=False),
    sa.Column('outcome_tasks', sa.Integer(), nullable=False),
    sa.Column('useful_3', sa.Integer(), nullable=False),
    sa.Column('useful_2', sa.Integer(), nullable=False),
    sa.Column('useful_1', sa.Integer(), nullable=False),
    sa.Column('decide_3', sa.Integer(), nullable=False),
    sa.Column('decide_2', sa.Integer(), nullable=False),
    sa.Column('decide_1', sa.Integer(), nullable=False),
    sa.Column('community_3', sa.Integer(), nullable=False),
    sa.Column('community_2', sa.Integer(), nullable=False),
    sa.Column('community_1', sa.Integer(), nullable=False),
    sa.Column('proposals', sa.Integer(), nullable=False),
    sa.Column('proposals_approved', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['partner_id'], ['partners.id'], name=op.f('fk_daily_rollups_partner_id_partners'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['site_id'], ['sites.id'], name=op.f('fk_daily_rollups_site_id_sites'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_daily_rollups'))
    )
    with op.batch_alter_table('daily_rollups', schema=None) as batch_op:
        batch_op.create_index('ix_daily_rollups_date_site', ['date', 'site_id'], unique=False)
        batch_op.create_index('ix_daily_rollups_site_date', ['site_id', 'date'], unique=False)

    op.create_table('all_sites_rollups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('partner_id', sa.Integer(), nullable=True),
    sa.Column('category', sa.String(length=30), nullable=True),
    sa.Column('outcome_unit', sa.String(length=60), nullable=True),
    sa.Column('outcome_amount', sa.Numeric(precision=14, scale=1, asdecimal=False), nullable=False),
    sa.Column('all_tasks', sa.Integer(), nullable=False),
    sa.Column('tasks', sa.Integer(), nullable=False),
    sa.Column('closed_tasks', sa.Integer(), nullable=False),
    sa.Column('places', sa.Integer(), nullable=False),
    sa.Column('participations', sa.Integer(), nullable=False),
    sa.Column('claims', sa.Integer(), nullable=False),
    sa.Column('kept', sa.Integer(), nullable=False),
    sa.Column('released', sa.Integer(), nullable=False),
    sa.Column('cancelled', sa.Integer(), nullable=False),
    sa.Column('walk_ins', sa.Integer(), nullable=False),
    sa.Column('first_time', sa.Integer(), nullable=False),
    sa.Column('returners', sa.Integer(), nullable=False),
    sa.Column('arrived', sa.Integer(), nullable=False),
    sa.Column('checked_claims', sa.Integer(), nullable=False),
    sa.Column('outcome_tasks', sa.Integer(), nullable=False),
    sa.Column('useful_3', sa.Integer(), nullable=False),
    sa.Column('useful_2', sa.Integer(), nullable=False),
    sa.Column('useful_1', sa.Integer(), nullable=False),
    sa.Column('decide_3', sa.Integer(), nullable=False),
    sa.Column('decide_2', sa.Integer(), nullable=False),
    sa.Column('decide_1', sa.Integer(), nullable=False),
    sa.Column('community_3', sa.Integer(), nullable=False),
    sa.Column('community_2', sa.Integer(), nullable=False),
    sa.Column('community_1', sa.Integer(), nullable=False),
    sa.Column('proposals', sa.Integer(), nullable=False),
    sa.Column('proposals_approved', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['partner_id'], ['partners.id'], name=op.f('fk_all_sites_rollups_partner_id_partners'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_all_sites_rollups'))
    )
    with op.batch_alter_table('all_sites_rollups', schema=None) as batch_op:
        batch_op.create_index('ix_all_sites_rollups_date', ['date'], unique=False)

    op.create_table('rolled_up_days',
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('meals_participants', sa.Integer(), nullable=False),
    sa.Column('meals_others', sa.Integer(), nullable=False),
    sa.Column('built_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['site_id'], ['sites.id'], name=op.f('fk_rolled_up_days_site_id_sites'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('site_id', 'date', name=op.f('pk_rolled_up_days'))
    )
    with op.batch_alter_table('rolled_up_days', schema=None) as batch_op:
        batch_op.create_index('ix_rolled_up_days_date', ['date'], unique=False)



def downgrade():
    with op.batch_alter_table('rolled_up_days', schema=None) as batch_op:
        batch_op.drop_index('ix_rolled_up_days_date')

    op.drop_table('rolled_up_days')
    with op.batch_alter_table('all_sites_rollups', schema=None) as batch_op:
        batch_op.drop_index('ix_all_sites_rollups_date')

    op.drop_table('all_sites_rollups')
    with op.batch_alter_table('daily_rollups', schema=None) as batch_op:
        batch_op.drop_index('ix_daily_rollups_site_date')
        batch_op.drop_index('ix_daily_rollups_date_site')

    op.drop_table('daily_rollups')
    op.drop_table('rolled_up_dates')
