"""A Tesla simulator: auth server, Fleet API in three regions, vehicles, energy sites and their command protocol.

State (`world.py` and the `state.py` of each feature) knows nothing of HTTP; the routers are thin Tesla-shaped
surfaces over it. Time is the simulated clock of `clock.py`, so tests move it instead of sleeping.
"""
