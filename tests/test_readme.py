"""The README stays true: every CLI command and every setting is documented."""

from __future__ import annotations

import argparse

from rocksearch_cli import make_parser
from search.settings import SETTINGS
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_cli_command_is_in_the_readme():
    parser = make_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    for name in sub.choices:
        assert f"`rocksearch {name}" in README, name


def test_every_setting_is_in_the_readme():
    for setting in SETTINGS:
        assert f"`{setting.env}`" in README, setting.env
        assert setting.help in README, setting.help


def test_the_two_commands_are_in_the_readme_and_ci_calls_the_test_one():
    assert "./run.sh" in README and "./test.sh" in README
    assert "exec ./test.sh" in (ROOT / ".ci" / "run").read_text()


def test_the_python_the_two_commands_choose_can_make_the_venv(tmp_path):
    """run.sh and test.sh make .venv with what scripts/pick-python prints: an interpreter
    of Python 3.11 or newer that can make a venv with pip in it (the distribution's, or
    else python3 on PATH)."""
    import subprocess

    for script in ("run.sh", "test.sh"):
        assert 'PYTHON="${PYTHON:-$(scripts/pick-python)}"' in (ROOT / script).read_text()
    chosen = subprocess.run([ROOT / "scripts" / "pick-python"], capture_output=True,
                            text=True, check=True).stdout.strip()  # fmt: skip
    made = subprocess.run([chosen, "-m", "venv", "--without-pip", tmp_path / "venv"],
                          capture_output=True, text=True)  # fmt: skip
    assert made.returncode == 0, made.stderr
    found = subprocess.run([tmp_path / "venv" / "bin" / "python", "-c",
                            "import sys, ensurepip; print(sys.version_info >= (3, 11))"],
                           capture_output=True, text=True)  # fmt: skip
    assert found.stdout.strip() == "True", found.stderr
