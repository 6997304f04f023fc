"""Administration: organisation settings and the audit log."""
