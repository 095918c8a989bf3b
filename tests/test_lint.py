"""The code stays ruff-clean (the rules in pyproject.toml)."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_lint_ruff_check_is_clean():
    ruff = Path(sys.executable).parent / "ruff"
    done = subprocess.run([ruff, "check", "kg", "tests", "bench"], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
