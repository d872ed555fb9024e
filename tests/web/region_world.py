"""Two regions for the listing's tests: the default region with two sites and the tasks of a week,
and another region whose site must never show on the first one's listing."""

from datetime import time, timedelta
from types import SimpleNamespace

import sqlalchemy as sa

from dropin.claims.service import claim_place
from dropin.extensions import db
from dropin.models import Region
from dropin.models.region import DEFAULT_REGION_SLUG
from dropin.models.task import TaskStatus
from tests.factories import make_site, make_task

TITLE_FI = "Vieraslajien kitkentä Äijänsaaressa"
TITLE_SV = "Rensning av främmande arter på Åholmen"


def build_region_world() -> SimpleNamespace:
    """Call in an app context; commits."""
    home = db.session.scalar(sa.select(Region).where(Region.slug == DEFAULT_REGION_SLUG))
    other = Region(slug="ita", name="Itäinen alue", embed_origins="https://www.kunta.fi\nhttp://localhost:8080")
    db.session.add(other)
    db.session.flush()
    satama = make_site(
        "satama",
        name="Olohuone Satama",
        address="Satamakatu 3, Kotka",
        opening_hours="ma–pe 10–16",
        opening_hours_sv="mån–fre 10–16",
    )
    kallio = make_site("kallio", name="Olohuone Kallio", address="Kalliotie 1, Kotka")
    faraway = make_site("kaukana", name="Kaukainen olohuone", address="Muualla 9", region_id=other.id)
    today = satama.today()
    running = make_task(satama, title="Roskien keruu rannalla", place="Ranta", capacity=4)
    claim, phone_token = claim_place(running)
    cancelled = make_task(
        satama,
        title="Pullataikina",
        category="baking",
        place="Keittiö",
        status=TaskStatus.CANCELLED,
        cancel_reason="Uuni on rikki.",
        start_time=time(9),
        end_time=time(11),
    )
    later = make_task(
        satama,
        date=today + timedelta(days=2),
        title=TITLE_FI,
        title_sv=TITLE_SV,
        category="invasive",
        place="Äijänsaari",
        start_time=time(10),
        end_time=time(0),
        capacity=6,
        meal_included=True,
    )
    kallio_task = make_task(
        kallio,
        date=today + timedelta(days=1),
        title="Sämpylöiden leipominen",
        category="baking",
        place="Keittiö",
        start_time=time(13),
        end_time=time(15),
        meal_included=False,
    )
    make_task(satama, date=today + timedelta(days=8), title="Liian kaukana tulevaisuudessa")
    make_task(satama, date=today - timedelta(days=1), title="Eilinen tehtävä")
    elsewhere = make_task(faraway, title="Toisen alueen tehtävä")
    db.session.commit()
    return SimpleNamespace(
        home=home.slug,
        other=other.slug,
        today=today,
        running=running.id,
        cancelled=cancelled.id,
        later=later.id,
        kallio_task=kallio_task.id,
        elsewhere=elsewhere.id,
        code=claim.code,
        phone_token=phone_token,
    )
