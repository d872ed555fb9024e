"""Entry point for `flask --app app` and waitress: app = create_app()."""

from dropin import create_app

app = create_app()
