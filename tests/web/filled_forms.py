"""The partner, template and proposal forms, filled in as a browser would: override one field at a time."""


def partner_data(token, **overrides):
    return {
        "csrf_token": token,
        "name": "Yhteiskeittiö Pata",
        "kind": "Yhdistys",
        "contact_person": "Ahmed",
        "phone": "+358 40 000 0004",
        "email": "pata@example.org",
        "notes": "Keittiö vapaa arkisin.",
        **overrides,
    }


def template_data(token, **overrides):
    return {
        "csrf_token": token,
        "title": "Haravointi",
        "category": "gardening",
        "weekdays": ["1", "3"],
        "start_time": "10:00",
        "end_time": "12:00",
        "capacity": "4",
        "place": "Puisto",
        "partner_id": "0",
        "physical_demand": "moderate",
        "setting": "outdoor",
        "meal_included": "y",
        "outcome_unit": "säkkiä lehtiä",
        "title_sv": "Krattning",
        **overrides,
    }


def proposal_data(token, day, **overrides):
    return {
        "csrf_token": token,
        "title": "Pajunvesojen raivaus",
        "date": day.isoformat(),
        "start_time": "09:00",
        "end_time": "12:00",
        "place": "Rantapuisto",
        "category": "invasive",
        "capacity": "5",
        "description": "Raivataan vesoja.",
        "bring": "Saappaat",
        **overrides,
    }
