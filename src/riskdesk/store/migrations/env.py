"""Alembic environment, run programmatically by ``riskdesk.store.db``.

There is no alembic.ini on the user's machine: the caller passes an open connection
in ``config.attributes["connection"]``. Batch mode makes ALTERs work on SQLite
(only there: PostgreSQL alters tables in place).
"""

from alembic import context
from sqlmodel import SQLModel

import riskdesk.store.models  # noqa: F401  (registers the tables on the metadata)

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only when someone runs the alembic CLI
    raise RuntimeError("riskdesk migrations run through riskdesk.store.db.open_register")

context.configure(
    connection=connection,
    target_metadata=SQLModel.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
