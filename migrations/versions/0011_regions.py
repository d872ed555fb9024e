"""regions: sites belong to a region (one default region holds today's sites), opening hours, a worker's region

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 11:00:00

"""
from datetime import datetime, timezone

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('regions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=60), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('embed_origins', sa.Text(), server_default='', nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_regions')),
    sa.UniqueConstraint('slug', name=op.f('uq_regions_slug'))
    )
    # One region holds every site there is, so a single-site set-up works as before.
    regions = sa.table(
        'regions',
        sa.column('slug', sa.String()),
        sa.column('name', sa.String()),
        sa.column('embed_origins', sa.Text()),
        sa.column('created_at', sa.DateTime(timezone=True)),
        sa.column('updated_at', sa.DateTime(timezone=True)),
    )
    now = datetime.now(timezone.utc)
    op.bulk_insert(regions, [
        {'slug': 'alue', 'name': 'Oma alue', 'embed_origins': '', 'created_at': now, 'updated_at': now}
    ])

    with op.batch_alter_table('sites', schema=None) as batch_op:
        batch_op.add_column(sa.Column('opening_hours', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('opening_hours_sv', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('opening_hours_en', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('region_id', sa.Integer(), nullable=True))
    op.execute("UPDATE sites SET region_id = (SELECT id FROM regions WHERE slug = 'alue')")
    with op.batch_alter_table('sites', schema=None) as batch_op:
        batch_op.alter_column('region_id', existing_type=sa.Integer(), nullable=False)
        batch_op.create_index(batch_op.f('ix_sites_region_id'), ['region_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_sites_region_id_regions'), 'regions', ['region_id'], ['id'])

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('region_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f('fk_users_region_id_regions'), 'regions', ['region_id'], ['id'], ondelete='SET NULL'
        )


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_users_region_id_regions'), type_='foreignkey')
        batch_op.drop_column('region_id')

    with op.batch_alter_table('sites', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_sites_region_id_regions'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_sites_region_id'))
        batch_op.drop_column('region_id')
        batch_op.drop_column('opening_hours_en')
        batch_op.drop_column('opening_hours_sv')
        batch_op.drop_column('opening_hours')

    op.drop_table('regions')
