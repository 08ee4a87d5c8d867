"""`python -m iadsim` is the `iadsim` command."""

from iadsim.cli import app

if __name__ == "__main__":
    app(prog_name="iadsim")
