"""Accounts: signing in and out, and creating users."""
