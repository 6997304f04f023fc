"""Languages and dates: Vietnamese first, English second, times in Asia/Ho_Chi_Minh."""
from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

from flask import Blueprint, Flask, current_app, has_request_context, redirect, request, url_for
from flask_babel import format_date, format_datetime, get_locale
from flask_babel import lazy_gettext as _l

from learnhub.extensions import babel
from learnhub.resources import PACKAGE_DIR
from learnhub.settings import zone

LANGUAGE_COOKIE = "lh_lang"
LANGUAGE_NAMES = {"vi": "Tiếng Việt", "en": "English"}

bp = Blueprint("i18n", __name__)


def select_locale() -> str:
    """The remembered choice (on the API, Accept-Language), else Vietnamese: a fresh install speaks Vietnamese."""
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if request.path.startswith("/api/"):  # the API takes no cookies: Accept-Language chooses
        return request.accept_languages.best_match(current_app.config["LANGUAGES"]) or \
            current_app.config["BABEL_DEFAULT_LOCALE"]
    chosen = request.cookies.get(LANGUAGE_COOKIE)
    if chosen is not None and chosen in current_app.config["LANGUAGES"]:
        return chosen
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def date_filter(value: dt.date | dt.datetime | None) -> str:
    """dd/mm/yyyy, in Asia/Ho_Chi_Minh for timestamps."""
    if value is None:
        return ""
    return format_date(value, "dd/MM/yyyy")


def datetime_filter(value: dt.datetime | None) -> str:
    """dd/mm/yyyy HH:mm in Asia/Ho_Chi_Minh."""
    if value is None:
        return ""
    return format_datetime(value, "dd/MM/yyyy HH:mm")


def minutes_filter(seconds: int | None) -> str:
    minutes = round((seconds or 0) / 60)
    return str(_l("%(n)d min", n=minutes))


def is_safe_redirect(target: str) -> bool:
    """Only paths on this site: no scheme, no host, no protocol-relative or backslash tricks."""
    parts = urlsplit(target)
    return (
        target.startswith("/")
        and not target.startswith("//")
        and "\\" not in target
        and not parts.scheme
        and not parts.netloc
    )


def init_i18n(app: Flask) -> None:
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(PACKAGE_DIR / "translations"))
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.filters["date"] = date_filter
    app.jinja_env.filters["datetime"] = datetime_filter
    app.jinja_env.filters["duration"] = minutes_filter
    app.jinja_env.globals["LANGUAGE_NAMES"] = LANGUAGE_NAMES
    app.jinja_env.globals["get_locale"] = get_locale
    app.jinja_env.globals["LOCAL_TZ"] = zone(app.config["TIMEZONE"])
    from learnhub.forms import WTFormsInOurCatalogue

    wtforms_messages = WTFormsInOurCatalogue()

    @app.before_request
    def _wtforms_speaks_the_users_language() -> None:
        request.wtforms_translations = wtforms_messages  # type: ignore[attr-defined]


@bp.post("/language")
def set_language():
    """Remember the chosen language for a year and go back to the page the visitor was on."""
    lang = request.form.get("lang", "")
    target = request.form.get("next") or url_for("study.home")
    if not is_safe_redirect(target):
        target = url_for("study.home")
    response = redirect(target)
    if lang in current_app.config["LANGUAGES"]:
        response.set_cookie(
            LANGUAGE_COOKIE,
            lang,
            max_age=365 * 24 * 3600,
            samesite="Lax",
            secure=current_app.config["HTTPS"],
            httponly=True,
        )
    return response
