"""Outreach to citizens: public module pages with privacy-preserving visit counts, and outreach sessions."""
