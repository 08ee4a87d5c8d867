"""`python -m iadsim` is the `iadsim` command."""

from iadsim.cli import app

app(prog_name="iadsim")
