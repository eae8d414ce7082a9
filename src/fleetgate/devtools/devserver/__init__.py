"""`fleetgate dev`: the gateway and the Tesla simulator in one process, seeded like a real deployment."""
