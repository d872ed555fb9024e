"""partners ask for their link again

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 11:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('partner_link_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('partner_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('handled_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['partner_id'], ['partners.id'], name=op.f('fk_partner_link_requests_partner_id_partners'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_partner_link_requests'))
    )
    with op.batch_alter_table('partner_link_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_partner_link_requests_partner_id'), ['partner_id'], unique=False)


def downgrade():
    with op.batch_alter_table('partner_link_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_partner_link_requests_partner_id'))

    op.drop_table('partner_link_requests')
