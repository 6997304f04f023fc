"""Members: the roster of each unit, imports and exports, accounts, membership over time."""
