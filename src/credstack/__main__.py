"""``python -m credstack``: the command line."""

from credstack.adapters.cli.main import app

app(prog_name="credstack")
