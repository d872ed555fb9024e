"""The region's listing as open data: JSON (described in the API's OpenAPI document) and iCalendar.

Both are built from `region_listing` alone: tasks, sites and counts of free places. Nothing about
visitors (no claim, code or token) is read, so nothing of theirs can end up in a feed.
"""

import hashlib
import json
from datetime import UTC

import icalendar

from dropin.claims.refusals import Availability
from dropin.models import Site
from dropin.regions.listing import ListedTask, Listing


def site_json(site: Site, locale: str) -> dict:
    return {
        "slug": site.slug,
        "name": site.name,
        "address": site.address,
        "opening_hours": site.localized_opening_hours(locale),
    }


def _hhmm(value) -> str:
    return value.strftime("%H:%M")


def task_json(listed: ListedTask, locale: str) -> dict:
    task = listed.task
    return {
        "id": task.id,
        "site": task.site.slug,
        "date": task.date.isoformat(),
        "start_time": _hhmm(task.start_time),
        "end_time": _hhmm(task.end_time),
        "starts_at": listed.starts_at.isoformat(),
        "ends_at": listed.ends_at.isoformat(),
        "title": task.localized("title", locale),
        "description": task.localized("description", locale),
        "category": task.category,
        "place": task.place,
        "partner": task.partner.name if task.partner else None,
        "meal_included": task.meal_included,
        "capacity": task.capacity,
        "free": listed.free,
        "state": listed.state.value,
        "cancel_reason": task.cancel_reason,
        "updated_at": task.updated_at.astimezone(UTC).isoformat(),
    }


def listing_json(listing: Listing, locale: str) -> dict:
    region = listing.region
    return {
        "region": {"slug": region.slug, "name": region.name},
        "language": locale,
        "sites": [site_json(site, locale) for site in listing.sites],
        "tasks": [task_json(listed, locale) for listed in listing.tasks],
    }


def json_body(listing: Listing, locale: str) -> bytes:
    return json.dumps(listing_json(listing, locale), ensure_ascii=False, separators=(",", ":")).encode()


def _location(site: Site, place: str) -> str:
    return ", ".join(part for part in (place, site.name, site.address) if part)


def _event(listed: ListedTask, locale: str, host: str) -> icalendar.Event:
    task, site = listed.task, listed.task.site
    event = icalendar.Event()
    # One UID per task for as long as it lives: calendars update the event rather than add another.
    event.add("uid", f"task-{task.id}@{host}")
    event.add("dtstamp", task.updated_at.astimezone(UTC))
    event.add("last-modified", task.updated_at.astimezone(UTC))
    event.add("dtstart", listed.starts_at.astimezone(UTC))
    event.add("dtend", listed.ends_at.astimezone(UTC))
    event.add("summary", task.localized("title", locale))
    event.add("location", _location(site, task.place))
    lines = [task.localized("description", locale)]
    if site.localized_opening_hours(locale):
        lines.append(f"{site.name}: {site.localized_opening_hours(locale)}")
    if task.cancel_reason:
        lines.append(task.cancel_reason)
    event.add("description", "\n\n".join(line for line in lines if line))
    event.add("categories", [task.category])
    event.add("status", "CANCELLED" if listed.state == Availability.CANCELLED else "CONFIRMED")
    event.add("transp", "OPAQUE")
    return event


def ics_body(listing: Listing, locale: str, host: str) -> bytes:
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//dropin//region listing//FI")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", listing.region.name)
    for listed in listing.tasks:
        calendar.add_component(_event(listed, locale, host))
    return calendar.to_ical()


def strong_etag(body: bytes) -> str:
    """A strong ETag: the feed's bytes' hash, so it changes exactly when the feed does."""
    return hashlib.sha256(body).hexdigest()[:32]
