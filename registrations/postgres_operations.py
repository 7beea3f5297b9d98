"""A migration operation that runs its SQL on PostgreSQL only.

Exclusion constraints (btree_gist) exist on PostgreSQL alone; SQLite serialises
writers with its IMMEDIATE transactions, and the services check under that lock.
"""

from django.db.migrations.operations.base import Operation


class PostgresOnlySQL(Operation):
    reduces_to_sql = True
    reversible = True

    def __init__(self, sql: str, reverse_sql: str):
        self.sql = sql
        self.reverse_sql = reverse_sql

    def state_forwards(self, app_label, state):
        pass  # no model state: the constraint is the database's alone

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(self.sql)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(self.reverse_sql)

    def describe(self):
        return "SQL on PostgreSQL only"

    def deconstruct(self):
        return (
            self.__class__.__qualname__,
            [],
            {"sql": self.sql, "reverse_sql": self.reverse_sql},
        )
