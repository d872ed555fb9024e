// Parse an iCalendar feed from standard input with Mozilla's ical.js (Thunderbird's parser) and
// print its events as JSON. The module's path comes in ICAL_JS (installed by `make js-deps`).
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

const ICAL = (await import(pathToFileURL(process.env.ICAL_JS).href)).default;
const calendar = new ICAL.Component(ICAL.parse(readFileSync(0, "utf8")));
const events = calendar.getAllSubcomponents("vevent").map((component) => {
  const event = new ICAL.Event(component);
  return {
    uid: event.uid,
    summary: event.summary,
    location: event.location,
    status: component.getFirstPropertyValue("status"),
    start: event.startDate.toJSDate().toISOString(),
    end: event.endDate.toJSDate().toISOString(),
    lastModified: component.getFirstPropertyValue("last-modified").toJSDate().toISOString(),
  };
});
process.stdout.write(JSON.stringify({ name: calendar.getFirstPropertyValue("x-wr-calname"), events }));
