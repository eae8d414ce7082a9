from fleetgate.cli import app

app(prog_name="fleetgate")
