// Regenerate fixtures/calendars/nyse.json, the known NYSE calendar the NYSE rules are tested against:
//   node scripts/nyse-calendar-fixture.mjs XNYS_CSV PMC_HOLIDAYS_CSV > fixtures/calendars/nyse.json
// XNYS_CSV: tests/resources/xnys.csv of exchange_calendars (Apache-2.0) at commit
//   5308ce20578422fce74b10b43cc7d913a17e7a88: every NYSE session 1990-01-02..2023-01-13 with its open and close.
// PMC_HOLIDAYS_CSV: tests/data/nyse_all_full_day_holidays_since_1928.csv of pandas_market_calendars (MIT) at
//   commit 966ffb32b988e5c64835fe184996c3826a8963b2: every full-day NYSE holiday, 1928..2021.
// The two are independent curations of NYSE's own closings list. For 2023-01-14..2030-12-31 there is no
// session file: PUBLISHED below holds NYSE's announced holidays and 1 pm early closes for 2023-2027 and, for
// 2028-2030, the dates NYSE's rules give (full closures cross-checked against the npm package nyse-holidays
// 1.2.0, an independent implementation). The tests never read the sources, only the committed JSON.
import { readFileSync } from 'node:fs';

const [xnysPath, pmcPath] = process.argv.slice(2);
if (!xnysPath || !pmcPath) {
  console.error('usage: node scripts/nyse-calendar-fixture.mjs XNYS_CSV PMC_HOLIDAYS_CSV');
  process.exit(2);
}
const DAY = 86_400_000;
const iso = (t) => new Date(t).toISOString().slice(0, 10);
const localTime = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'America/New_York',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
});

// exchange_calendars: sessions with UTC open/close. Closed weekdays are the weekdays without a session.
const sessions = new Map();
for (const line of readFileSync(xnysPath, 'utf8').trim().split('\n').slice(1)) {
  const [session, , close] = line.split(',');
  sessions.set(session.slice(0, 10), localTime.format(new Date(close)));
}
const days = [...sessions.keys()].sort();
const closedWeekdays = [];
const earlyCloses = [];
for (let t = Date.parse(days[0]); t <= Date.parse(days.at(-1)); t += DAY) {
  const d = iso(t);
  const dow = new Date(t).getUTCDay();
  if (!sessions.has(d)) {
    if (dow !== 0 && dow !== 6) closedWeekdays.push(d);
  } else if (sessions.get(d) !== '16:00') {
    earlyCloses.push({ date: d, close: sessions.get(d) });
  }
}

// pandas_market_calendars: m/d/yyyy full-day holidays.
const pmc = readFileSync(pmcPath, 'utf8')
  .trim()
  .split('\n')
  .map((l) => {
    const [m, d, y] = l.trim().split('/').map(Number);
    return iso(Date.UTC(y, m - 1, d));
  })
  .filter((d) => d >= '1990-01-01')
  .sort();

const PUBLISHED = {
  from: '2023-01-14',
  to: '2030-12-31',
  closedWeekdays: [
    '2023-01-16',
    '2023-02-20',
    '2023-04-07',
    '2023-05-29',
    '2023-06-19',
    '2023-07-04',
    '2023-09-04',
    '2023-11-23',
    '2023-12-25',
    '2024-01-01',
    '2024-01-15',
    '2024-02-19',
    '2024-03-29',
    '2024-05-27',
    '2024-06-19',
    '2024-07-04',
    '2024-09-02',
    '2024-11-28',
    '2024-12-25',
    '2025-01-01',
    '2025-01-09',
    '2025-01-20',
    '2025-02-17',
    '2025-04-18',
    '2025-05-26',
    '2025-06-19',
    '2025-07-04',
    '2025-09-01',
    '2025-11-27',
    '2025-12-25',
    '2026-01-01',
    '2026-01-19',
    '2026-02-16',
    '2026-04-03',
    '2026-05-25',
    '2026-06-19',
    '2026-07-03',
    '2026-09-07',
    '2026-11-26',
    '2026-12-25',
    '2027-01-01',
    '2027-01-18',
    '2027-02-15',
    '2027-03-26',
    '2027-05-31',
    '2027-06-18',
    '2027-07-05',
    '2027-09-06',
    '2027-11-25',
    '2027-12-24',
    '2028-01-17',
    '2028-02-21',
    '2028-04-14',
    '2028-05-29',
    '2028-06-19',
    '2028-07-04',
    '2028-09-04',
    '2028-11-23',
    '2028-12-25',
    '2029-01-01',
    '2029-01-15',
    '2029-02-19',
    '2029-03-30',
    '2029-05-28',
    '2029-06-19',
    '2029-07-04',
    '2029-09-03',
    '2029-11-22',
    '2029-12-25',
    '2030-01-01',
    '2030-01-21',
    '2030-02-18',
    '2030-04-19',
    '2030-05-27',
    '2030-06-19',
    '2030-07-04',
    '2030-09-02',
    '2030-11-28',
    '2030-12-25',
  ],
  earlyCloses: [
    '2023-07-03',
    '2023-11-24',
    '2024-07-03',
    '2024-11-29',
    '2024-12-24',
    '2025-07-03',
    '2025-11-28',
    '2025-12-24',
    '2026-11-27',
    '2026-12-24',
    '2027-11-26',
    '2028-07-03',
    '2028-11-24',
    '2029-07-03',
    '2029-11-23',
    '2029-12-24',
    '2030-07-03',
    '2030-11-29',
    '2030-12-24',
  ].map((date) => ({ date, close: '13:00' })),
};

process.stdout.write(
  `${JSON.stringify(
    {
      exchangeCalendars: {
        source: 'exchange_calendars tests/resources/xnys.csv @ 5308ce2 (Apache-2.0)',
        from: days[0],
        to: days.at(-1),
        closedWeekdays,
        earlyCloses,
      },
      pandasMarketCalendars: {
        source: 'pandas_market_calendars tests/data/nyse_all_full_day_holidays_since_1928.csv @ 966ffb3 (MIT)',
        from: '1990-01-01',
        to: pmc.at(-1),
        closedDays: pmc,
      },
      published: {
        source:
          "NYSE's announced holidays and early closes 2023-2027; NYSE rules 2028-2030 (full closures cross-checked with nyse-holidays 1.2.0)",
        ...PUBLISHED,
      },
    },
    null,
    1,
  )}\n`,
);
