"""The printed poster's QR code leads to the public address, never to the Host the printing browser used."""

import re

from dropin.extensions import db
from dropin.qr import qr_data_uri
from tests.factories import make_site, make_task, make_user
from tests.helpers import login

QR_RE = re.compile(r'<img src="(data:image/svg\+xml;base64,[^"]+)"')


def poster_qr(client, slug: str, day: str, host: str) -> str:
    page = client.get(f"/staff/{slug}/day/{day}/poster", headers={"Host": host})
    assert page.status_code == 200
    return QR_RE.search(page.get_data(as_text=True)).group(1)


def test_the_posters_qr_uses_the_public_url(app, client):
    app.config["PUBLIC_URL"] = "https://dropin.example.fi/"
    with app.app_context():
        site = make_site("satama")
        make_task(site)
        make_user("staff@example.org", "staff", sites=[site])
        db.session.commit()
        day = site.today().isoformat()
    login(client, "staff@example.org")
    # An allowed host, but not the public one: the staff PC prints from the machine itself.
    qr = poster_qr(client, "satama", day, host="localhost")
    assert qr == qr_data_uri("https://dropin.example.fi/kiosk/satama")


def test_without_a_public_url_the_qr_follows_the_allowed_host(app, client):
    with app.app_context():
        site = make_site("satama")
        make_user("staff@example.org", "staff", sites=[site])
        db.session.commit()
        day = site.today().isoformat()
    login(client, "staff@example.org")
    assert poster_qr(client, "satama", day, host="localhost") == qr_data_uri("http://localhost/kiosk/satama")
