"""Language: Finnish first, Swedish and English a tap away."""

from flask import Flask, current_app, request, session

from dropin.extensions import babel


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    asked = request.args.get("lang")
    if asked in languages:
        if request.blueprint != "api":  # the API stays stateless: no session cookie
            session["lang"] = asked
        return asked
    kept = session.get("lang")
    return kept if kept in languages else current_app.config["BABEL_DEFAULT_LOCALE"]


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale, default_translation_directories="translations")
