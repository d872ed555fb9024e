"""A server process holds only what serving needs: the heavy libraries load when first used."""

import json
import subprocess
import sys

from tests.helpers import ROOT

# WeasyPrint (the PDF report), openpyxl (the XLSX export), qrcode and Pillow (receipts),
# Alembic with Mako and Pygments (migrations): about 45 MB together in every process.
LAZY = ("weasyprint", "fontTools", "openpyxl", "qrcode", "PIL", "alembic", "flask_migrate", "mako", "pygments")

CREATE_APP = """
import json, sys
from dropin import create_app
app = create_app({"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
with app.test_request_context():
    app.jinja_env.get_template("kiosk/board.html")
print(json.dumps(sorted(name for name in sys.modules if name.split(".")[0] in %r)))
"""


def imported_after(code: str) -> list[str]:
    run = subprocess.run(
        [sys.executable, "-c", code % (LAZY,)], cwd=ROOT, capture_output=True, text=True, check=True, timeout=120
    )
    return json.loads(run.stdout.strip().splitlines()[-1])


def test_creating_the_app_imports_none_of_the_heavy_libraries():
    assert imported_after(CREATE_APP) == []


def test_the_check_sees_a_heavy_import():
    assert "openpyxl" in imported_after(CREATE_APP.replace("from dropin import", "import openpyxl\nfrom dropin import"))
