"""Durability drills (issue 6, SPEC §3.9): `python -m bench.drills`, `make drills`."""
