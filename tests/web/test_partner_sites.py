"""Partners belong to the sites that use them: staff see and change only their sites' partners, admins all."""

from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from dropin.extensions import db
from dropin.models import AuditEvent, Partner, PartnerLink, Site
from dropin.models.user import Role
from dropin.partners import service
from tests.factories import make_partner, make_site, make_user
from tests.helpers import login, token_of
from tests.web.filled_forms import partner_data, template_data

B_SECRETS = ("Bertta Muualla", "040 999 0002", "vain-b@example.org", "B:n avain ovensuussa")


@pytest.fixture
def two_sites(app):
    """Sites satama (A) and muu (B); a partner of A, one of B (with contact data), one of both with a
    link at each; staff of A, staff of B, an admin."""
    with app.app_context():
        a, b = make_site("satama", name="Satama"), make_site("muu", name="Muu paikka")
        a_only = make_partner("Vain A ry", sites=[a], contact_person="Aino Satamasta")
        b_only = make_partner(
            "Vain B ry",
            sites=[b],
            contact_person=B_SECRETS[0],
            phone=B_SECRETS[1],
            email=B_SECRETS[2],
            notes=B_SECRETS[3],
        )
        shared = make_partner("Yhteinen ry", sites=[a, b])
        shared_a, shared_b = service.create_link(shared, a), service.create_link(shared, b)
        b_link = service.create_link(b_only, b)
        make_user("a@example.org", Role.STAFF, sites=[a])
        make_user("b@example.org", Role.STAFF, sites=[b])
        make_user("admin@example.org", Role.ADMIN)
        db.session.commit()
        return SimpleNamespace(
            a=a.id,
            b=b.id,
            a_only=a_only.id,
            b_only=b_only.id,
            shared=shared.id,
            shared_a_token=shared_a.token,
            shared_b_token=shared_b.token,
            b_link=b_link.link.id,
            day=a.today().isoformat(),
        )


def partner_pages(w) -> list[str]:
    return ["/staff/partners", "/staff/partners/new", f"/staff/partners/{w.a_only}", f"/staff/partners/{w.shared}"]


def form_pages(w) -> list[str]:
    return [f"/staff/satama/day/{w.day}/tasks/new", "/staff/satama/templates/new", f"/staff/partners/{w.shared}/edit"]


def test_staff_never_see_another_sites_partner_or_its_contact_data(client, two_sites):
    login(client, "a@example.org")
    for path in partner_pages(two_sites) + form_pages(two_sites):
        page = client.get(path)
        assert page.status_code == 200, path
        text = page.get_data(as_text=True)
        assert "Vain B ry" not in text, path
        for secret in B_SECRETS:
            assert secret not in text, (path, secret)
    listing = client.get("/staff/partners").get_data(as_text=True)
    assert "Vain A ry" in listing
    assert "Yhteinen ry" in listing


def test_another_sites_partner_pages_are_404_and_change_nothing(app, client, two_sites):
    login(client, "a@example.org")
    w = two_sites
    for path in (f"/staff/partners/{w.b_only}", f"/staff/partners/{w.b_only}/edit"):
        assert client.get(path).status_code == 404, path
    token = token_of(client, "/staff/partners")
    posts = {
        f"/staff/partners/{w.b_only}/edit": partner_data(token, name="Kaapattu ry", email="x@example.org"),
        f"/staff/partners/{w.b_only}/archive": {"csrf_token": token},
        f"/staff/partners/{w.b_only}/unarchive": {"csrf_token": token},
        f"/staff/partners/{w.b_only}/links": {"csrf_token": token, "site_id": str(w.a)},
        f"/staff/partners/{w.b_only}/links/{w.b_link}/revoke": {"csrf_token": token},
    }
    for path, data in posts.items():
        assert client.post(path, data=data).status_code == 404, path
    with app.app_context():
        partner = db.session.get(Partner, w.b_only)
        assert (partner.name, partner.email, partner.archived_at) == ("Vain B ry", B_SECRETS[2], None)
        assert db.session.get(PartnerLink, w.b_link).revoked_at is None
        assert db.session.scalar(sa.select(sa.func.count()).select_from(PartnerLink)) == 3


def test_a_task_or_template_cannot_name_another_sites_partner(app, client, two_sites):
    login(client, "a@example.org")
    new = "/staff/satama/templates/new"
    refused = client.post(new, data=template_data(token_of(client, new), partner_id=str(two_sites.b_only)))
    assert refused.status_code == 400
    mine = client.post(new, data=template_data(token_of(client, new), partner_id=str(two_sites.a_only)))
    assert mine.status_code == 302


def test_admins_see_every_partner_with_its_contact_data(client, two_sites):
    login(client, "admin@example.org")
    listing = client.get("/staff/partners").get_data(as_text=True)
    for name in ("Vain A ry", "Vain B ry", "Yhteinen ry"):
        assert name in listing
    page = client.get(f"/staff/partners/{two_sites.b_only}").get_data(as_text=True)
    assert all(secret in page for secret in B_SECRETS)


def test_staff_of_one_site_archiving_a_shared_partner_only_let_it_go_there(app, client, two_sites):
    w = two_sites
    login(client, "a@example.org")
    show = f"/staff/partners/{w.shared}"
    response = client.post(f"{show}/archive", data={"csrf_token": token_of(client, show)})
    assert response.status_code == 302
    assert "Muut kohtaamispaikat käyttävät sitä yhä." in client.get(response.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        partner = db.session.get(Partner, w.shared)
        assert partner.archived_at is None
        assert [site.slug for site in partner.sites] == ["muu"]
    # A's link stops with A's use of the partner; B's link and B's staff keep it.
    assert client.get(f"/p/{w.shared_a_token}").status_code == 404
    assert client.get(f"/p/{w.shared_b_token}").status_code == 200
    assert client.get(show).status_code == 404
    other = app.test_client()
    login(other, "b@example.org")
    assert "Yhteinen ry" in other.get("/staff/partners").get_data(as_text=True)


def test_a_partner_of_only_the_staffs_own_sites_is_archived_for_good(app, client, two_sites):
    login(client, "a@example.org")
    show = f"/staff/partners/{two_sites.a_only}"
    assert client.post(f"{show}/archive", data={"csrf_token": token_of(client, show)}).status_code == 302
    with app.app_context():
        assert db.session.get(Partner, two_sites.a_only).archived_at is not None


def test_admins_archive_a_shared_partner_everywhere(app, client, two_sites):
    login(client, "admin@example.org")
    show = f"/staff/partners/{two_sites.shared}"
    assert client.post(f"{show}/archive", data={"csrf_token": token_of(client, show)}).status_code == 302
    with app.app_context():
        assert db.session.get(Partner, two_sites.shared).archived_at is not None
    assert client.get(f"/p/{two_sites.shared_b_token}").status_code == 404


def test_a_partner_added_by_staff_belongs_to_their_site(app, client, two_sites):
    login(client, "a@example.org")
    new = "/staff/partners/new"
    # A foreign site's id in the post is not theirs to give.
    forged = client.post(new, data=partner_data(token_of(client, new), sites=[str(two_sites.b)]))
    assert forged.status_code == 400
    # With one site there is nothing to choose: the partner is that site's.
    assert "Kohtaamispaikat, joiden kumppani" not in client.get(new).get_data(as_text=True)
    assert client.post(new, data=partner_data(token_of(client, new))).status_code == 302
    with app.app_context():
        partner = db.session.scalar(sa.select(Partner).where(Partner.name == "Yhteiskeittiö Pata"))
        assert [site.slug for site in partner.sites] == ["satama"]
        [event] = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "partner.create"))
        assert event.after["sites"] == ["satama"]
    other = app.test_client()
    login(other, "b@example.org")
    assert "Yhteiskeittiö Pata" not in other.get("/staff/partners").get_data(as_text=True)


def test_staff_of_several_sites_choose_among_their_own(app, client, login_as, two_sites):
    with app.app_context():
        make_site("kallio", name="Kallio")
        db.session.commit()
    login_as("staff", sites=["satama", "kallio"], email="ab@example.org")
    new = "/staff/partners/new"
    page = client.get(new).get_data(as_text=True)
    assert "Kallio" in page
    assert "Muu paikka" not in page
    missing = client.post(new, data=partner_data(token_of(client, new)))
    assert missing.status_code == 400
    assert "Valitse ainakin yksi kohtaamispaikka." in missing.get_data(as_text=True)
    foreign = client.post(new, data=partner_data(token_of(client, new), sites=[str(two_sites.b)]))
    assert foreign.status_code == 400
    chosen = client.post(new, data=partner_data(token_of(client, new), sites=[str(two_sites.a)]))
    assert chosen.status_code == 302
    with app.app_context():
        partner = db.session.scalar(sa.select(Partner).where(Partner.name == "Yhteiskeittiö Pata"))
        assert [site.slug for site in partner.sites] == ["satama"]


def test_staff_editing_a_shared_partner_keep_the_other_sites(app, client, login_as, two_sites):
    with app.app_context():
        make_site("kallio", name="Kallio")
        db.session.commit()
    login_as("staff", sites=["satama", "kallio"], email="ab@example.org")
    edit = f"/staff/partners/{two_sites.shared}/edit"
    page = client.get(edit).get_data(as_text=True)
    assert "Muu paikka" not in page  # only their own sites are offered
    sites = [str(two_sites.a), str(_site_id(app, "kallio"))]
    data = partner_data(token_of(client, edit), name="Yhteinen ry", sites=sites)
    assert client.post(edit, data=data).status_code == 302
    with app.app_context():
        partner = db.session.get(Partner, two_sites.shared)
        assert [site.slug for site in partner.sites] == ["kallio", "muu", "satama"]


def test_admins_link_and_unlink_sites(app, client, two_sites):
    login(client, "admin@example.org")
    edit = f"/staff/partners/{two_sites.b_only}/edit"
    page = client.get(edit).get_data(as_text=True)
    assert "Satama" in page
    assert "Muu paikka" in page
    data = partner_data(token_of(client, edit), name="Vain B ry", sites=[str(two_sites.a)])
    assert client.post(edit, data=data).status_code == 302
    with app.app_context():
        partner = db.session.get(Partner, two_sites.b_only)
        assert [site.slug for site in partner.sites] == ["satama"]
        # Leaving B stops B's link to it.
        assert db.session.get(PartnerLink, two_sites.b_link).revoked_at is not None
        [event] = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "partner.update"))
        assert (event.before["sites"], event.after["sites"]) == (["muu"], ["satama"])


def _site_id(app, slug: str) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(Site.id).where(Site.slug == slug))
