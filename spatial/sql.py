"""SQL helpers: quote identifiers in one place; values are always bound as parameters."""

from psycopg import sql


def ident(*names: str) -> sql.Composable:
    """A (possibly qualified) identifier, safely quoted: ident("public", "layers_parcel")."""
    return sql.Identifier(*names)


def literal_sql(text: str) -> sql.SQL:
    """Trusted SQL text written in this code base (never user input)."""
    return sql.SQL(text)
