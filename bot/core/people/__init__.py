"""People and places: who someone is (identity, roles), the roster of members and its import,
sectors, handling units and their contacts, bound groups (channels), the first-run claim."""
