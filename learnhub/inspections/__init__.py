"""Inspection and supervision of units' study ("kiểm tra, giám sát") and the yearly evaluation of units."""
