"""Shared pytest settings: under CI (the CI environment variable set) no test may skip."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    # A skip on a developer's machine is a convenience; in CI it would hide a missing
    # browser, extra or tool, so it is reported as a failure with the skip's reason.
    report = yield
    if os.environ.get("CI") and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.longrepr = f"skipped in CI, which needs every test to run: {reason}"
    return report
