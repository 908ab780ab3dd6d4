"""``python -m credstack``: the command line."""

from credstack.entrypoints.cli.main import app

app(prog_name="credstack")
