"""Accessibility checks with axe-core (from npm, in tests/interop/node_modules).

``assert_accessible(page)`` injects axe-core into the page Playwright has
open and fails on any serious or critical WCAG 2.0/2.1 A or AA violation,
naming each rule and the elements it found.
"""
from pathlib import Path

import pytest

AXE_SCRIPT = Path(__file__).resolve().parent.parent / "interop" / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING_IMPACTS = {"serious", "critical"}


def axe_violations(page) -> list[dict]:
    if not AXE_SCRIPT.exists():
        pytest.fail("axe-core is not installed: run `make install-test` (npm ci in tests/interop).")
    page.add_script_tag(path=str(AXE_SCRIPT))
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
    )
    return result["violations"]


def assert_accessible(page) -> None:
    blocking = [item for item in axe_violations(page) if item.get("impact") in BLOCKING_IMPACTS]
    report = "\n".join(
        f"{item['id']} ({item['impact']}): {item['help']} at "
        + ", ".join(" ".join(node["target"]) for node in item["nodes"][:5])
        for item in blocking
    )
    assert not blocking, f"axe-core found serious or critical violations on {page.url}:\n{report}"
