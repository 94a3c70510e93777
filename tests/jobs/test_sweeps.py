"""The sweep registry: every sweep runs, and one failure does not stop the others."""
from jobs import sweeps


def test_failing_sweep_does_not_stop_the_others(monkeypatch):
    calls = []

    def broken():
        calls.append("broken")
        raise RuntimeError("database went away")

    def working():
        calls.append("working")
        return 2

    monkeypatch.setattr(sweeps, "_SWEEPS", {"broken": broken, "working": working})

    assert sweeps.run_all() == {"broken": 0, "working": 2}
    assert calls == ["broken", "working"]


def test_outbox_sweep_is_registered():
    assert "notifications.outbox" in sweeps.registered()
