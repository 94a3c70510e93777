"""Database: SQLite by default, any engine through ``DATABASE_URL``.

Example: ``DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test``.
"""
import dj_database_url

from .base import BASE_DIR
from .env import env_str

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(env_str("MERKKIPAJA_DB_CONN_MAX_AGE", "60")),
    )
}
