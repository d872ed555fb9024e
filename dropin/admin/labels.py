"""How the admin pages name roles, actions, entities and fields, and show times and audit values."""

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from dropin.admin.forms import ROLE_NAMES
from dropin.templating import clock

ACTIONS = {
    "user.create": _l("Käyttäjä lisätty"),
    "user.update": _l("Käyttäjää muutettu"),
    "user.disable": _l("Käyttäjä poistettu käytöstä"),
    "user.enable": _l("Käyttäjä otettu käyttöön"),
    "user.password": _l("Salasana vaihdettu"),
    "site.create": _l("Kohtaamispaikka lisätty"),
    "site.update": _l("Kohtaamispaikkaa muutettu"),
    "region.create": _l("Alue lisätty"),
    "region.update": _l("Aluetta muutettu"),
    "kiosk.enroll": _l("Näyttö lisätty"),
    "kiosk.revoke": _l("Näyttö poistettu käytöstä"),
    "kiosk.reissue": _l("Näytölle uusi käyttöönottolinkki"),
    "task.create": _l("Tehtävä lisätty"),
    "task.post": _l("Tehtävä lisätty pohjasta"),
    "task.copy": _l("Tehtävä kopioitu"),
    "task.update": _l("Tehtävää muutettu"),
    "task.cancel": _l("Tehtävä peruttu"),
    "claim.walk_in": _l("Paikka otettu tiskillä"),
    "claim.arrive": _l("Kävijä merkitty saapuneeksi"),
    "claim.unarrive": _l("Saapumismerkintä peruttu"),
    "claim.release": _l("Paikka vapautettu kävijän puolesta"),
    "day.close": _l("Päivä suljettu"),
    "day.reclose": _l("Suljettua päivää muutettu"),
    "day.reopen": _l("Päivä avattu uudelleen"),
    "partner.create": _l("Kumppani lisätty"),
    "partner.update": _l("Kumppania muutettu"),
    "partner.archive": _l("Kumppani arkistoitu"),
    "partner.unarchive": _l("Kumppani palautettu käyttöön"),
    "partner_link.create": _l("Ehdotuslinkki tehty"),
    "partner_link.revoke": _l("Ehdotuslinkki poistettu käytöstä"),
    "partner_link.request": _l("Kumppani pyysi uutta linkkiä"),
    "proposal.submit": _l("Kumppani ehdotti tehtävää"),
    "proposal.approve": _l("Ehdotus hyväksytty"),
    "proposal.reject": _l("Ehdotus hylätty"),
    "template.create": _l("Pohja lisätty"),
    "template.update": _l("Pohjaa muutettu"),
    "template.pause": _l("Pohja tauolle"),
    "template.resume": _l("Pohja taas käytössä"),
}
ENTITIES = {
    "user": _l("Käyttäjä"),
    "site": _l("Kohtaamispaikka"),
    "region": _l("Alue"),
    "kiosk": _l("Näyttö"),
    "task": _l("Tehtävä"),
    "day": _l("Päivä"),
    "partner": _l("Kumppani"),
    "template": _l("Pohja"),
    "claim": _l("Varaus"),
    "partner_link": _l("Ehdotuslinkki"),
    "proposal": _l("Ehdotus"),
}
FIELDS = {
    "email": _l("Sähköposti"),
    "role": _l("Rooli"),
    "active": _l("Käytössä"),
    "sites": _l("Kohtaamispaikat"),
    "slug": _l("Osoitenimi"),
    "name": _l("Nimi"),
    "timezone": _l("Aikavyöhyke"),
    "meal_time": _l("Ruoka-aika"),
    "address": _l("Osoite"),
    "opening_hours": _l("Aukioloajat"),
    "opening_hours_sv": _l("Aukioloajat ruotsiksi"),
    "opening_hours_en": _l("Aukioloajat englanniksi"),
    "region_id": _l("Alue"),
    "region": _l("Alue"),
    "embed_origins": _l("Upotuksen sallivat sivustot"),
    "enrolled_at": _l("Otettu käyttöön"),
    "revoked_at": _l("Poistettu käytöstä"),
    "date": _l("Päivä"),
    "title": _l("Otsikko"),
    "description": _l("Kuvaus"),
    "category": _l("Luokka"),
    "place": _l("Paikka"),
    "start_time": _l("Alkaa"),
    "end_time": _l("Päättyy"),
    "capacity": _l("Paikkoja"),
    "bring": _l("Ota mukaan"),
    "provided": _l("Saat meiltä"),
    "physical_demand": _l("Kuinka raskasta"),
    "setting": _l("Missä"),
    "meal_included": _l("Ruoka tarjolla"),
    "partner_id": _l("Kumppani"),
    "outcome_unit": _l("Tuloksen yksikkö"),
    "status": _l("Tila"),
    "cancel_reason": _l("Peruutuksen syy"),
    "participants": _l("Osallistui"),
    "outcome_amount": _l("Tulos"),
    "claims_released": _l("Vapautetut varaukset"),
    "source": _l("Lähde"),
    "arrived_at": _l("Saapui"),
    "over_capacity": _l("Yli paikkamäärän"),
    "meals_participants": _l("Aterioita osallistujille"),
    "meals_others": _l("Aterioita muille"),
    "note": _l("Muistiinpano"),
    "tasks": _l("Tehtävät"),
    "title_sv": _l("Otsikko ruotsiksi"),
    "title_en": _l("Otsikko englanniksi"),
    "description_sv": _l("Kuvaus ruotsiksi"),
    "description_en": _l("Kuvaus englanniksi"),
    "kind": _l("Millainen toimija"),
    "contact_person": _l("Yhteyshenkilö"),
    "phone": _l("Puhelin"),
    "notes": _l("Muistiinpanot"),
    "archived_at": _l("Arkistoitu"),
    "weekdays": _l("Viikonpäivät"),
    "paused": _l("Tauolla"),
    "template_id": _l("Pohja"),
    "task_id": _l("Tehtävä"),
    "site_id": _l("Kohtaamispaikka"),
}


def local_time(value: datetime | None, zone: str | None = None) -> str:
    """5.3.2025 14.05 in the given zone, or the app's (Europe/Helsinki)."""
    if value is None:
        return ""
    local = value.astimezone(ZoneInfo(zone or current_app.config["DROPIN_TIMEZONE"]))
    return f"{local.day}.{local.month}.{local.year} {clock(local.time())}"


def audit_value(key: str, value: Any) -> str:
    """One value of an audit entry as a person reads it."""
    if value is None or value == "" or value == []:
        return "–"
    if value is True:
        return _("kyllä")
    if value is False:
        return _("ei")
    if key == "role":
        return str(ROLE_NAMES.get(value, value))
    if isinstance(value, list):
        return ", ".join(audit_value("", item) for item in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {audit_value(k, v)}" for k, v in value.items())
    if isinstance(value, str) and len(value) > 19 and value[10:11] == "T":
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            return value
        return local_time(moment) if moment.tzinfo else value
    return str(value)


def _label(table: dict, key: str | None) -> str:
    return str(table.get(key, key or ""))


def role_name(role: str | None) -> str:
    return _label(ROLE_NAMES, role)


def action_name(action: str | None) -> str:
    return _label(ACTIONS, action)


def entity_name(entity: str | None) -> str:
    return _label(ENTITIES, entity)


def field_name(key: str | None) -> str:
    return _label(FIELDS, key)
