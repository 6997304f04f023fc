"""The organisation tree: party committees, cells, agencies and mass organisations."""
