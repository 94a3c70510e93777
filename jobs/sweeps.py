"""Sweeps: functions the worker calls now and then to pick up stranded work.

A task row alone cannot guarantee progress: a worker killed mid-task leaves
its row "running" for ever, and an email waiting for a retry has no task at
all. Each app registers a sweep that looks at its own tables and enqueues a
task for whatever is due. Sweeps must be idempotent, because every worker
runs them.
"""
import logging
from collections.abc import Callable

logger = logging.getLogger(__name__)

_SWEEPS: dict[str, Callable[[], int]] = {}


def register(name: str, function: Callable[[], int]) -> None:
    """Register ``function``, which returns how many tasks it enqueued."""
    _SWEEPS[name] = function


def registered() -> dict[str, Callable[[], int]]:
    return dict(_SWEEPS)


def run_all() -> dict[str, int]:
    """Run every sweep once; one failing sweep does not stop the others."""
    results = {}
    for name, function in _SWEEPS.items():
        try:
            results[name] = function()
        except Exception:
            logger.exception("Sweep %s failed", name)
            results[name] = 0
    return results
