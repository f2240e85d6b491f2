"""The committed openapi.yaml is the schema the code generates: clients are generated
from that file, so a change to the API must regenerate it (`make schema`)."""

import difflib
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_committed_schema_matches_the_code(tmp_path):
    generated = tmp_path / "openapi.yaml"
    # As `make schema` makes it: on SQLite, since integer limits follow the backend.
    env = {
        **os.environ,
        "DEBUG": "1",
        "DJANGO_SETTINGS_MODULE": "conflictapi.settings",
        "DATABASE_URL": "sqlite://:memory:",
    }
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "spectacular",
            "--validate",
            "--fail-on-warn",
            "--file",
            str(generated),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, f"schema generation failed:\n{result.stderr[-3000:]}"
    committed = (ROOT / "openapi.yaml").read_text(encoding="utf-8")
    fresh = generated.read_text(encoding="utf-8")
    if committed != fresh:
        diff = "".join(
            list(
                difflib.unified_diff(
                    committed.splitlines(keepends=True),
                    fresh.splitlines(keepends=True),
                    "openapi.yaml (committed)",
                    "openapi.yaml (generated)",
                )
            )[:60]
        )
        raise AssertionError(f"openapi.yaml is not the code's schema: run make schema\n{diff}")
