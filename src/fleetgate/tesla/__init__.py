"""The client of Tesla's real services (auth server, Fleet API, vehicles' command protocol).

It works unchanged against Tesla and against fleetgate's simulator: only the endpoints (`endpoints.py`) and the
credentials differ. Everything goes through one injected `httpx.AsyncClient`; its transport is the only seam.
"""
