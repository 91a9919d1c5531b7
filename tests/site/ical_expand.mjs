// Expands calendar files with ical.js (Mozilla's parser, the one Thunderbird uses), for the tests:
//   node ical_expand.mjs FROM UNTIL file.ics ...   (FROM and UNTIL as ISO date-times in UTC)
// prints {"file.ics": ["2026-12-08T09:00:00.000Z", ...], ...}: every start in [FROM, UNTIL),
// RRULE, RDATE and EXDATE applied. A file ical.js cannot parse makes it exit non-zero.
import { readFileSync } from "node:fs";
import ICAL from "ical.js";

const [from, until, ...files] = process.argv.slice(2);
const [start, end] = [new Date(from), new Date(until)];
const found = {};
for (const file of files) {
  const calendar = new ICAL.Component(ICAL.parse(readFileSync(file, "utf8")));
  for (const zone of calendar.getAllSubcomponents("vtimezone")) { ICAL.TimezoneService.register(zone); }
  const starts = [];
  for (const component of calendar.getAllSubcomponents("vevent")) {
    const event = new ICAL.Event(component);
    if (event.startDate.zone && event.startDate.zone.tzid === "floating") {
      throw new Error(`${file}: ${event.uid} has a floating time (no time zone)`);
    }
    const occurrences = event.iterator();
    for (let next = occurrences.next(); next; next = occurrences.next()) {
      const when = next.toJSDate();
      if (when >= end) { break; }
      if (when >= start) { starts.push(when.toISOString()); }
    }
  }
  found[file] = starts.sort();
}
process.stdout.write(JSON.stringify(found));
