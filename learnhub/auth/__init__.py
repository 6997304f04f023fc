"""Accounts: signing in and out, and creating users.

The blueprint lives here so that its view modules (routes.py, twofactor_routes.py) each import it
from the package instead of from one another; the app factory imports the view modules.
"""
from flask import Blueprint

bp = Blueprint("auth", __name__)
