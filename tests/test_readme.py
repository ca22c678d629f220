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
