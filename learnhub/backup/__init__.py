"""Backups: one archive file holding the database and the instance settings, and its restore."""
