"""Help texts shown by Help ▸ Getting started and Help ▸ How scoring works (offline)."""
