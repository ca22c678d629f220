"""The README stays true: every CLI command and every setting is documented, and every
dependency's range and reason (docs/dependencies.md)."""

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


def test_every_dependency_is_in_the_dependencies_document_with_its_range():
    """Each package pyproject.toml depends on has its row in docs/dependencies.md, with
    the range it is pinned to (python-calamine, added for workbooks, had none)."""
    import re
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    rows = {
        name.strip().lower(): row
        for row in (ROOT / "docs" / "dependencies.md").read_text(encoding="utf-8").splitlines()
        if row.startswith("| ")
        for name in row.split("|")[1].split(",")
    }
    for requirement in project["dependencies"]:
        name, pinned = re.match(r"([A-Za-z0-9_.-]+)\s*(.*)", requirement).groups()
        assert name.lower() in rows, name
        assert pinned.replace(" ", "") in rows[name.lower()].replace(" ", ""), name
