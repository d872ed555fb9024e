"""Language: Finnish first, Swedish and English a tap away."""

from flask import current_app, request, session


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    asked = request.args.get("lang")
    if asked in languages:
        if request.blueprint != "api":  # the API stays stateless: no session cookie
            session["lang"] = asked
        return asked
    kept = session.get("lang")
    return kept if kept in languages else current_app.config["BABEL_DEFAULT_LOCALE"]
