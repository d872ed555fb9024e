"""partners belong to sites; enrollment links expire

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 06:20:00.000000

"""
from datetime import datetime, timezone

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('partner_sites',
    sa.Column('partner_id', sa.Integer(), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['partner_id'], ['partners.id'], name=op.f('fk_partner_sites_partner_id_partners'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['site_id'], ['sites.id'], name=op.f('fk_partner_sites_site_id_sites'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('partner_id', 'site_id', name=op.f('pk_partner_sites'))
    )
    with op.batch_alter_table('partner_sites', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_partner_sites_site_id'), ['site_id'], unique=False)

    # Every partner belongs to the sites where it has tasks, templates or proposal links...
    op.execute(
        "INSERT INTO partner_sites (partner_id, site_id) "
        "SELECT partner_id, site_id FROM tasks WHERE partner_id IS NOT NULL "
        "UNION SELECT partner_id, site_id FROM task_templates WHERE partner_id IS NOT NULL "
        "UNION SELECT partner_id, site_id FROM partner_links"
    )
    # ...and one with none of them to every site, so that no staff member loses a partner.
    op.execute(
        "INSERT INTO partner_sites (partner_id, site_id) "
        "SELECT partners.id, sites.id FROM partners CROSS JOIN sites "
        "WHERE NOT EXISTS (SELECT 1 FROM partner_sites WHERE partner_sites.partner_id = partners.id)"
    )

    with op.batch_alter_table('kiosks', schema=None) as batch_op:
        batch_op.add_column(sa.Column('enroll_issued_at', sa.DateTime(timezone=True), nullable=True))
    # A link already handed out gets its full time from the upgrade on.
    kiosks = sa.table(
        'kiosks',
        sa.column('enroll_token_hash', sa.String()),
        sa.column('enroll_issued_at', sa.DateTime(timezone=True)),
    )
    op.execute(
        kiosks.update()
        .where(kiosks.c.enroll_token_hash.is_not(None))
        .values(enroll_issued_at=datetime.now(timezone.utc))
    )

def downgrade():
    with op.batch_alter_table('kiosks', schema=None) as batch_op:
        batch_op.drop_column('enroll_issued_at')

    with op.batch_alter_table('partner_sites', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_partner_sites_site_id'))

    op.drop_table('partner_sites')
