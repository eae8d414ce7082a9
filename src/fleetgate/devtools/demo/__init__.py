"""`fleetgate demo`: the seeded story walked over real HTTP, as an application and its end user would, printed as it
goes. Any step that does not go as told ends the demo with a non-zero status, so it doubles as an end-to-end check."""
