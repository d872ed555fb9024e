"""Rows written as an older schema had them, for tests of migrations that must keep data."""

from datetime import date, datetime, time

import sqlalchemy as sa

TIMES = {"start_time": time(10), "end_time": time(12), "capacity": 3, "category": "cleanup"}


def insert(connection, table: str, **values) -> int:
    """A row in the table as migration 0007 left it (the models have moved on): columns that must not be
    empty and are not given get a plain value of their type."""
    reflected = sa.Table(table, sa.MetaData(), autoload_with=connection)
    plain = {sa.Integer: 0, sa.String: "x", sa.Text: "x", sa.Boolean: False, sa.Date: date(2026, 3, 2)}
    plain.update({sa.Time: time(10), sa.DateTime: datetime(2026, 3, 2, 8, 0), sa.Numeric: 0})
    for column in reflected.columns:
        if column.name in values or column.nullable or column.server_default is not None or column.primary_key:
            continue
        values[column.name] = next(v for kind, v in plain.items() if isinstance(column.type, kind))
    return connection.execute(reflected.insert().values(**values).returning(reflected.c.id)).scalar_one()
