"""Every database test in this folder ends with a scan of the audit trail for secrets and personal data."""
import pytest

from tests.issuers.staff_helpers import NEW_PASSWORD, assert_audit_free_of_secrets


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    # The scan runs right after the test body, before the database
    # fixtures roll the test's rows back.
    result = yield
    if "db" in item.fixturenames or item.get_closest_marker("django_db"):
        assert_audit_free_of_secrets(extra=[NEW_PASSWORD])
    return result
