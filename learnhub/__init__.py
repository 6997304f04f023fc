"""LearnHub: study Party directives and resolutions online."""
from __future__ import annotations

import os
from typing import Any

from flask import Flask

from learnhub.resources import PACKAGE_DIR, resource_dir


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the app: config, extensions, blueprints, error handlers and CLI commands."""
    app = Flask(
        __name__,
        template_folder=str(resource_dir("templates")),
        static_folder=str(PACKAGE_DIR / "static"),
        instance_path=os.environ.get("LEARNHUB_INSTANCE_PATH") or None,
        instance_relative_config=True,
    )
    from learnhub.config import load_config

    load_config(app, test_config)
    _register_extensions(app)
    from learnhub.numbers import init_numbers

    init_numbers(app)  # before the blueprints: their `<int:...>` rules take the bounded converter
    _register_blueprints(app)
    from learnhub.errors import register_error_handlers

    register_error_handlers(app)
    from learnhub.commands import register_commands

    register_commands(app)
    return app


def _register_extensions(app: Flask) -> None:
    import sqlalchemy as sa
    from werkzeug.middleware.proxy_fix import ProxyFix

    from learnhub import models  # noqa: F401  (every model registered before use)
    from learnhub.db import configure_sqlite
    from learnhub.extensions import csrf, db, limiter, login_manager, migrate
    from learnhub.i18n import init_i18n
    from learnhub.plans import upkeep

    db.init_app(app)
    upkeep.listen()  # the kept figures follow every change, in its transaction
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            sa.event.listen(db.engine, "connect", configure_sqlite)
    migrate.init_app(app, db, directory=str(resource_dir("migrations")), render_as_batch=True)
    csrf.init_app(app)
    login_manager.init_app(app)
    limiter.init_app(app)
    init_i18n(app)
    from learnhub.forms import bound_form_requests

    bound_form_requests(app)
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    from learnhub import labels

    app.jinja_env.globals.update(labels.ALL)
    app.jinja_env.filters.update(labels.FILTERS)
    from learnhub.templating import init_templating

    init_templating(app)
    from learnhub.headers import init_headers

    init_headers(app)
    from learnhub.assets import init_assets

    init_assets(app)
    if app.config["PROXY_FIX"]:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)  # type: ignore[method-assign]


def _register_blueprints(app: Flask) -> None:
    from learnhub.admin.routes import bp as admin_bp
    from learnhub.api import blueprint as api_blueprint
    from learnhub.api.core import init_api
    from learnhub.api.token_routes import bp as api_tokens_bp
    from learnhub.auth import blueprint as auth_blueprint
    from learnhub.authoring import blueprint as authoring_blueprint
    from learnhub.conferences import blueprint as conferences_blueprint
    from learnhub.contests import blueprint as contests_blueprint
    from learnhub.dialogue.routes import bp as dialogue_bp
    from learnhub.documents.routes import bp as documents_bp
    from learnhub.health import bp as health_bp
    from learnhub.i18n import bp as i18n_bp
    from learnhub.inspections import blueprint as inspections_blueprint
    from learnhub.members.importing_routes import bp as members_import_bp
    from learnhub.members.routes import bp as members_bp
    from learnhub.notify import blueprint as notify_blueprint
    from learnhub.offline.routes import bp as offline_bp
    from learnhub.orgs.routes import bp as orgs_bp
    from learnhub.outreach.bulletin_routes import bp as bulletins_bp
    from learnhub.outreach.routes import bp as outreach_bp
    from learnhub.plans.notification_routes import bp as notifications_bp
    from learnhub.plans.reflection_routes import bp as reflections_bp
    from learnhub.plans.routes import bp as plans_bp
    from learnhub.quizzes.routes import bp as quizzes_bp
    from learnhub.reports.routes import bp as reports_bp
    from learnhub.study.routes import bp as study_bp

    app.register_blueprint(auth_blueprint())
    app.register_blueprint(i18n_bp)
    app.register_blueprint(members_bp)
    app.register_blueprint(members_import_bp)
    app.register_blueprint(orgs_bp)
    app.register_blueprint(quizzes_bp)
    app.register_blueprint(plans_bp)
    app.register_blueprint(reflections_bp)
    app.register_blueprint(notifications_bp)
    app.register_blueprint(notify_blueprint())
    app.register_blueprint(admin_bp)
    app.register_blueprint(authoring_blueprint())
    app.register_blueprint(conferences_blueprint())
    app.register_blueprint(contests_blueprint())
    app.register_blueprint(outreach_bp)
    app.register_blueprint(bulletins_bp)
    app.register_blueprint(dialogue_bp)
    app.register_blueprint(reports_bp)
    app.register_blueprint(documents_bp)
    app.register_blueprint(inspections_blueprint())
    app.register_blueprint(study_bp)
    app.register_blueprint(health_bp)
    app.register_blueprint(offline_bp)
    app.register_blueprint(api_blueprint())
    app.register_blueprint(api_tokens_bp)
    init_api(app)
