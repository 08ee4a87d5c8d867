"""Every row of `iadsim verify` passes: iadsim's models reproduce the outside reference values."""

import pytest
from typer.testing import CliRunner

from iadsim.cli import app
from iadsim.verify import CHECKS, run_checks


@pytest.mark.parametrize("check", CHECKS, ids=[f"{c.model}: {c.quantity}" for c in CHECKS])
def test_reference_value_is_reproduced(check):
    (result,) = run_checks([check])
    assert result.passed, f"{check.quantity}: expected {check.expected} ± {check.tolerance}, got {result.obtained}"


def test_verify_command_prints_the_table_and_exits_0():
    result = CliRunner().invoke(app, ["verify"])
    assert result.exit_code == 0, result.output
    assert f"{len(CHECKS)} of {len(CHECKS)} checks pass" in result.output
