"""The web app: a label page over the workflow's outputs and an append-only SQLite store
of what people enter (annotations/, which `make clean` leaves alone)."""
