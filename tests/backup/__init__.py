"""Backups: learnhub backup, restore, rotation and the backup before db upgrade."""
