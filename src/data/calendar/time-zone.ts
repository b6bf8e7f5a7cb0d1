/** Offsets of IANA time zones from UTC (daylight saving included), from the platform's Intl data, cached per zone. */
import { DataError } from '../../errors.js';

const HOUR = 3_600_000;
const MINUTE = 60_000;
const DAY = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (f) return f;
  try {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  } catch (e) {
    throw new DataError(
      `unknown time zone "${timeZone}": expected an IANA name such as America/New_York or UTC`,
      {},
      { cause: e, hint: 'see the tz database names, e.g. Europe/London, Asia/Tokyo' },
    );
  }
  formatters.set(timeZone, f);
  return f;
}

/**
 * Checks that a time zone name is known to the platform.
 * @param timeZone - an IANA name
 * @throws {@link DataError} for an unknown name
 * @internal
 */
export function checkTimeZone(timeZone: string): void {
  formatter(timeZone);
}

/** Per zone: the offset at 00:00 UTC of each day number asked about, and the instant of a change within a day. */
const midnights = new Map<string, Map<number, number>>();
const changes = new Map<string, Map<number, number>>();

function cached(map: Map<string, Map<number, number>>, zone: string): Map<number, number> {
  let m = map.get(zone);
  if (!m) map.set(zone, (m = new Map()));
  return m;
}

function offsetAtMidnight(timeZone: string, day: number): number {
  const m = cached(midnights, timeZone);
  let off = m.get(day);
  if (off === undefined) m.set(day, (off = rawOffset(timeZone, day * DAY)));
  return off;
}

/** The first minute of a UTC day at which the offset differs from the offset at its start (binary search). */
function changeWithin(timeZone: string, day: number, before: number): number {
  const m = cached(changes, timeZone);
  let at = m.get(day);
  if (at !== undefined) return at;
  let lo = day * DAY;
  let hi = lo + DAY;
  while (hi - lo > MINUTE) {
    const mid = lo + Math.floor((hi - lo) / 2 / MINUTE) * MINUTE;
    if (rawOffset(timeZone, mid) === before) lo = mid;
    else hi = mid;
  }
  m.set(day, (at = hi));
  return at;
}

/**
 * The zone's offset from UTC at the instant `t`: local wall time minus UTC, in ms (New York in winter: -5 h).
 * Intl answers slowly (tens of microseconds), so offsets are asked for once per UTC day boundary and cached; a day
 * whose two ends differ holds one change, found to the minute. (A day with two changes that cancel out, which no
 * zone has had since 1970, would be missed.)
 * @param timeZone - an IANA name (`UTC` is answered without Intl)
 * @param t - epoch ms
 * @returns the offset in ms
 * @throws {@link DataError} for an unknown zone
 * @internal
 */
export function zoneOffset(timeZone: string, t: number): number {
  if (timeZone === 'UTC') return 0;
  const day = Math.floor(t / DAY);
  const start = offsetAtMidnight(timeZone, day);
  const end = offsetAtMidnight(timeZone, day + 1);
  if (start === end) return start;
  return t < changeWithin(timeZone, day, start) ? start : end;
}

/** The offset at `t` straight from Intl. */
function rawOffset(timeZone: string, t: number): number {
  const parts = formatter(timeZone).formatToParts(new Date(t));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const local = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  // Whole seconds are compared: the milliseconds of t are not in the parts.
  return local - (t - (((t % 1000) + 1000) % 1000));
}

/**
 * The UTC instant of a local wall time (epoch ms of the wall time read as UTC). In the hour skipped when clocks go
 * forward the time after the gap is returned; in the hour repeated when they go back, the first of the two.
 * @param timeZone - an IANA name
 * @param local - the wall time as if it were UTC, epoch ms
 * @returns epoch ms
 * @internal
 */
export function localToUtc(timeZone: string, local: number): number {
  if (timeZone === 'UTC') return local;
  // Two rounds settle on the offset in force at the result; offsets change at most once within a few hours.
  const early = zoneOffset(timeZone, local - 3 * HOUR);
  let t = local - early;
  const at = zoneOffset(timeZone, t);
  if (at !== early) t = local - at;
  return zoneOffset(timeZone, t) + t === local ? t : local - early;
}
