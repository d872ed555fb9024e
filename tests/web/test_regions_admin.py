"""The admin's regions: list, add, edit, the origins that may frame a listing; a site's region, address
and opening hours; a project worker's region. Admins only, every change in the audit log."""

import pytest
import sqlalchemy as sa

from dropin.extensions import db
from dropin.models import Region, Site, User
from dropin.models.region import DEFAULT_REGION_SLUG
from tests.helpers import audit_rows, count_rows, login, token_of
from tests.web.test_admin import session_csrf


def region_id(app, slug: str) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(Region.id).where(Region.slug == slug))


def add_region(app, slug="ita", name="Itäinen alue", origins="") -> int:
    with app.app_context():
        region = Region(slug=slug, name=name, embed_origins=origins)
        db.session.add(region)
        db.session.commit()
        return region.id


def region_form(client, url="/admin/regions/new", **fields) -> dict:
    return {
        "csrf_token": token_of(client, url),
        "name": "Itäinen alue",
        "slug": "ita",
        "embed_origins": "https://www.kunta.fi\nhttps://kotka.fi:8443",
        **fields,
    }


@pytest.mark.parametrize("role", ["staff", "worker"])
def test_only_admins_manage_regions(app, client, people, role):
    region = region_id(app, DEFAULT_REGION_SLUG)
    assert login(client, f"{role}@example.org").status_code == 302
    for url in ("/admin/regions", "/admin/regions/new", f"/admin/regions/{region}/edit"):
        assert client.get(url).status_code == 403, url
    data = {"csrf_token": session_csrf(app, client), "name": "X", "slug": "x", "embed_origins": ""}
    assert client.post("/admin/regions/new", data=data).status_code == 403
    assert client.post(f"/admin/regions/{region}/edit", data=data).status_code == 403
    assert count_rows(app, Region) == 1


def test_a_visitor_is_sent_to_log_in(client, people):
    response = client.get("/admin/regions")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_admin_lists_regions_with_sites_and_origins(app, admin, people):
    add_region(app, origins="https://www.kunta.fi")
    html = admin.get("/admin/regions").get_data(as_text=True)
    assert "Oma alue" in html
    assert "Olohuone testi" in html
    assert "Itäinen alue" in html
    assert "https://www.kunta.fi" in html
    assert 'href="/r/ita"' in html


def test_admin_adds_a_region_audited(app, admin, people):
    response = admin.post("/admin/regions/new", data=region_form(admin))
    assert response.status_code == 302
    with app.app_context():
        region = db.session.scalar(sa.select(Region).where(Region.slug == "ita"))
        assert (region.name, region.origins) == ("Itäinen alue", ["https://www.kunta.fi", "https://kotka.fi:8443"])
    [event] = audit_rows(app, "region.create")
    assert (event.entity, event.entity_id) == ("region", region.id)
    assert event.after == {
        "slug": "ita",
        "name": "Itäinen alue",
        "embed_origins": "https://www.kunta.fi\nhttps://kotka.fi:8443",
    }


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"embed_origins": "https://ok.fi\nhttp://www.kunta.fi"}, "http://www.kunta.fi ei käy."),
        ({"embed_origins": "*"}, "* ei käy."),
        ({"embed_origins": "https://kunta.fi/sivu"}, "https://kunta.fi/sivu ei käy."),
        ({"slug": "Iso Kirjain"}, "Käytä vain pieniä kirjaimia"),
        ({"name": ""}, "Anna alueen nimi."),
        ({"slug": DEFAULT_REGION_SLUG}, "Tämä osoitenimi on jo käytössä."),
    ],
)
def test_bad_region_input_is_refused_and_nothing_stored(app, admin, people, fields, message):
    response = admin.post("/admin/regions/new", data=region_form(admin, **fields))
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert count_rows(app, Region) == 1
    assert audit_rows(app, "region.create") == []


def test_admin_edits_a_region_audited(app, admin, people):
    region = add_region(app, origins="https://www.kunta.fi")
    url = f"/admin/regions/{region}/edit"
    assert "https://www.kunta.fi" in admin.get(url).get_data(as_text=True)
    response = admin.post(url, data=region_form(admin, url, name="Kymenlaakso", slug="kymi", embed_origins=""))
    assert response.status_code == 302
    with app.app_context():
        found = db.session.get(Region, region)
        assert (found.slug, found.name, found.origins) == ("kymi", "Kymenlaakso", [])
    [event] = audit_rows(app, "region.update")
    assert event.before == {"slug": "ita", "name": "Itäinen alue", "embed_origins": "https://www.kunta.fi"}
    assert event.after == {"slug": "kymi", "name": "Kymenlaakso", "embed_origins": ""}


def test_an_unknown_region_is_404(admin, people):
    assert admin.get("/admin/regions/999/edit").status_code == 404


def test_with_one_region_a_new_site_joins_it_without_asking(app, admin, people):
    form = admin.get("/admin/sites/new").get_data(as_text=True)
    assert 'name="region_id"' not in form
    data = {"csrf_token": token_of(admin, "/admin/sites/new"), "name": "Kallio", "slug": "kallio"}
    data.update(timezone="Europe/Helsinki", opening_hours="ma–pe 10–16", address="Kalliotie 1")
    assert admin.post("/admin/sites/new", data=data).status_code == 302
    with app.app_context():
        site = db.session.scalar(sa.select(Site).where(Site.slug == "kallio"))
        assert (site.region.slug, site.opening_hours, site.address) == (
            DEFAULT_REGION_SLUG,
            "ma–pe 10–16",
            "Kalliotie 1",
        )
    [event] = audit_rows(app, "site.create")
    assert event.after["region_id"] == region_id(app, DEFAULT_REGION_SLUG)
    assert event.after["opening_hours"] == "ma–pe 10–16"


def test_admin_moves_a_site_to_another_region_and_edits_its_hours(app, admin, people):
    other = add_region(app)
    url = f"/admin/sites/{people.site}/edit"
    assert 'name="region_id"' in admin.get(url).get_data(as_text=True)
    data = {
        "csrf_token": token_of(admin, url),
        "name": "Olohuone testi",
        "slug": "testi",
        "timezone": "Europe/Helsinki",
    }
    data.update(region_id=str(other), opening_hours="ti 12–18", opening_hours_sv="tis 12–18", address="Tie 2")
    assert admin.post(url, data=data).status_code == 302
    with app.app_context():
        site = db.session.get(Site, people.site)
        assert (site.region_id, site.opening_hours, site.opening_hours_sv, site.opening_hours_en) == (
            other,
            "ti 12–18",
            "tis 12–18",
            None,
        )
    [event] = audit_rows(app, "site.update")
    assert event.after["region_id"] == other
    assert event.after["opening_hours_sv"] == "tis 12–18"
    html = admin.get(f"/admin/sites/{people.site}").get_data(as_text=True)
    assert "Itäinen alue" in html
    assert "ti 12–18" in html


def test_a_site_cannot_be_put_in_a_region_that_does_not_exist(app, admin, people):
    add_region(app)
    url = f"/admin/sites/{people.site}/edit"
    data = {"csrf_token": token_of(admin, url), "name": "X", "slug": "testi", "timezone": "Europe/Helsinki"}
    for bad in ("999", "abc"):
        response = admin.post(url, data={**data, "region_id": bad})
        assert response.status_code == 400, bad
    assert audit_rows(app, "site.update") == []


def test_too_long_opening_hours_are_refused(app, admin, people):
    url = f"/admin/sites/{people.site}/edit"
    data = {"csrf_token": token_of(admin, url), "name": "X", "slug": "testi", "timezone": "Europe/Helsinki"}
    response = admin.post(url, data={**data, "opening_hours": "x" * 201})
    assert response.status_code == 400
    assert "Aukioloajat ovat liian pitkät" in response.get_data(as_text=True)


def test_admin_limits_a_project_worker_to_a_region_audited(app, admin, people):
    other = add_region(app)
    url = f"/admin/users/{people.worker}/edit"
    form = admin.get(url).get_data(as_text=True)
    assert "Kaikki alueet" in form
    assert "Itäinen alue" in form
    response = admin.post(url, data={"csrf_token": token_of(admin, url), "role": "worker", "region": str(other)})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(User, people.worker).region_id == other
    [event] = audit_rows(app, "user.update")
    assert (event.before, event.after) == ({"region": None}, {"region": "ita"})
    assert "Itäinen alue" in admin.get("/admin/users").get_data(as_text=True)
    # Back to every region.
    admin.post(url, data={"csrf_token": token_of(admin, url), "role": "worker", "region": ""})
    with app.app_context():
        assert db.session.get(User, people.worker).region_id is None


def test_only_project_workers_keep_a_region(app, admin, people):
    other = add_region(app)
    url = f"/admin/users/{people.staff}/edit"
    data = {"csrf_token": token_of(admin, url), "role": "staff", "sites": [str(people.site)], "region": str(other)}
    assert admin.post(url, data=data).status_code == 302
    with app.app_context():
        assert db.session.get(User, people.staff).region_id is None
    assert audit_rows(app, "user.update") == []  # nothing changed


def test_a_new_project_worker_can_be_given_a_region(app, admin, people):
    other = add_region(app)
    data = {"csrf_token": token_of(admin, "/admin/users/new"), "email": "uusi@example.org", "role": "worker"}
    data.update(password_mode="typed", password="pitkä-salasana-1", region=str(other))
    assert admin.post("/admin/users/new", data=data).status_code == 302
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.email == "uusi@example.org"))
        assert user.region_id == other
    [event] = audit_rows(app, "user.create")
    assert event.after["region"] == "ita"


def test_an_unknown_region_for_a_worker_is_refused(app, admin, people):
    url = f"/admin/users/{people.worker}/edit"
    response = admin.post(url, data={"csrf_token": token_of(admin, url), "role": "worker", "region": "999"})
    assert response.status_code == 400
    with app.app_context():
        assert db.session.get(User, people.worker).region_id is None
