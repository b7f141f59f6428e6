"""Test files import shared code from tests.helpers only, never from each other or a conftest."""

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent


def test_test_files_import_helpers_only() -> None:
    offenders = []
    for path in sorted(TESTS.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.ImportFrom):
                continue
            module = node.module or ""
            if node.level or (
                module.startswith("tests.") and not module.startswith("tests.helpers")
            ):
                offenders.append(
                    f"{path.relative_to(TESTS.parent)}: from {'.' * node.level}{module}"
                )
    assert offenders == []


def test_modules_stay_under_300_lines() -> None:
    """Small modules named after what they define: a file that outgrows 300 lines gets split."""
    root = TESTS.parent
    too_long = [
        f"{path.relative_to(root)}: {lines} lines"
        for package in ("graph", "sync", "db", "emulator", "bench")
        for path in sorted((root / package).rglob("*.py"))
        if "migrations" not in path.parts and (lines := len(path.read_text().splitlines())) > 300
    ]
    assert too_long == []
