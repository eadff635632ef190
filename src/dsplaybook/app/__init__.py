"""The web app: the label and drawing pages over the workflow's outputs; what people enter
goes to the append-only store (dsplaybook.store, annotations/), which `make clean` leaves alone."""
