"""Flask extension instances, bound to the app in create_app()."""
from __future__ import annotations

from typing import TYPE_CHECKING

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect

from learnhub.db import Base
from learnhub.replica import RoutingSession

# RoutingSession sends the reads of report views to the read replica when there is one (learnhub/replica.py).
db = SQLAlchemy(model_class=Base, session_options={"class_": RoutingSession})
# Models subclass ``Model``: Flask-SQLAlchemy's ``db.Model`` at run time (a subclass of ``Base`` with
# the session-bound query and table naming), and ``Base`` itself for type checkers, which cannot see
# through ``db.Model`` (pallets-eco/flask-sqlalchemy#1186).
if TYPE_CHECKING:

    class Model(Base):
        """Type checkers' view of ``db.Model``: the typed declarative base."""

        __abstract__ = True

else:
    Model = db.Model
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
# Only sign-in routes carry limits (learnhub/auth/throttle.py); the address is the client's, or the
# proxy's X-Forwarded-For when LEARNHUB_PROXY_FIX is on.
limiter = Limiter(get_remote_address)
