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

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web server and the background worker write to one SQLite file.
    # IMMEDIATE takes the write lock when a transaction begins, so a
    # transaction that reads first waits up to the timeout for the lock
    # instead of failing with "database is locked". WAL lets readers
    # continue while one process writes.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL",
        **DATABASES["default"].get("OPTIONS", {}),
    }
