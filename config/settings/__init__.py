"""Merkkipaja settings, read from the environment one topic per module.

Every value has a default that is safe for local development. Set
``MERKKIPAJA_ENV=production`` in production: the system checks in
``config.checks`` then reject the development secrets.
"""
from .base import *  # noqa: F401,F403
from .database import *  # noqa: F401,F403
from .security import *  # noqa: F401,F403
from .merkkipaja import *  # noqa: F401,F403
from .background import *  # noqa: F401,F403
