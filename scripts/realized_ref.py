# Regenerate with: /usr/bin/python3 scripts/realized_ref.py   (needs Debian python3-pandas; writes fixtures/realized/)
"""Reference numbers for stockcast's resampling and realized measures, computed with pandas on a seeded file of
15-minute bars (New York time, 04:00-20:00, so pre- and post-market bars are there): 2024-10-28 .. 2024-12-06,
across the end of daylight saving (2024-11-03), Thanksgiving (2024-11-28, bars present but the exchange closed),
its 13:00 early close (2024-11-29), a Saturday with bars (2024-11-09), a missing trading day (2024-11-12) and
scattered missing bars. Bars are stamped at their start.

Written:
- fixtures/realized/intraday-15m.csv: date (ISO UTC), open, high, low, close, volume
- fixtures/realized/realized-ref.json: pandas' answers for
  utcDays     fixed 24-hour UTC days, OHLCV (open first, high max, low min, close last, volume sum) and bar counts
  nyCutoff    24-hour days ending at 17:00 New York (wall clock), labelled by the date they end on
  nyse        NYSE sessions 09:30-16:00 (13:00 on early closes), holidays and weekends from fixtures/calendars/nyse.json
  nyse30m     30-minute bins from the session open within those sessions, stamped at their start (UTC)
  realized    rv, bv, jump, rsPos, rsNeg, rq, bars per NYSE session with overnight exclude / add / scale, and
              per 17:00 New York day with overnight exclude
The sessions come from the exchange_calendars/NYSE lists in fixtures/calendars/nyse.json, not from stockcast."""
import json, math, os
import numpy as np
import pandas as pd

rng = np.random.default_rng(24)
NY = "America/New_York"
out_dir = "fixtures/realized"
os.makedirs(out_dir, exist_ok=True)

# The bars: 15-minute bars 04:00-19:45 New York on weekdays, plus a Saturday.
saturday = pd.Timestamp("2024-11-09")
days = [d for d in pd.date_range("2024-10-28", "2024-12-06", freq="D") if d.weekday() < 5 or d == saturday]
days = [d for d in days if d != pd.Timestamp("2024-11-12")]
stamps = []
for d in days:
    hours = range(4 * 4, 20 * 4) if d.weekday() < 5 else range(10 * 4, 12 * 4)
    for q in hours:
        stamps.append((d + pd.Timedelta(minutes=15 * q)).tz_localize(NY).tz_convert("UTC"))
stamps = pd.DatetimeIndex(stamps)
keep = rng.random(len(stamps)) > 0.03
stamps = stamps[keep]
n = len(stamps)
log_close = math.log(50.0) + np.cumsum(0.002 * rng.standard_normal(n))
close = np.round(np.exp(log_close), 4)
open_ = np.round(np.concatenate([[close[0]], close[:-1]]) * np.exp(0.0005 * rng.standard_normal(n)), 4)
high = np.round(np.maximum(open_, close) * (1 + 0.001 * rng.random(n)), 4)
low = np.round(np.minimum(open_, close) * (1 - 0.001 * rng.random(n)), 4)
volume = rng.integers(100, 5000, n)
bars = pd.DataFrame({"open": open_, "high": high, "low": low, "close": close, "volume": volume}, index=stamps)
csv = bars.copy()
csv.insert(0, "date", [t.strftime("%Y-%m-%dT%H:%M:%SZ") for t in stamps])
csv.to_csv(f"{out_dir}/intraday-15m.csv", index=False)

AGG = {"open": "first", "high": "max", "low": "min", "close": "last", "volume": "sum"}


def ohlcv(frame, key, stamp):
    g = frame.groupby(key, sort=True)
    res = g.agg(AGG)
    res["bars"] = g.size()
    return {"date": [stamp(k) for k in res.index], **{c: res[c].astype(float).tolist() for c in [*AGG, "bars"]}}


day_stamp = lambda k: pd.Timestamp(k).strftime("%Y-%m-%dT00:00:00.000Z")
wall = bars.index.tz_convert(NY).tz_localize(None)

# Fixed days: UTC dates, and days ending at 17:00 New York wall time (label = the date of wall time + 7 h).
utc_key = bars.index.tz_localize(None).normalize()
ny_key = (wall + pd.Timedelta(hours=7)).normalize()

# NYSE sessions from the calendar fixture (exchange_calendars to 2023, NYSE's published list after).
cal = json.load(open("fixtures/calendars/nyse.json"))["published"]
closed = set(cal["closedWeekdays"])
early = {e["date"]: e["close"] for e in cal["earlyCloses"]}
date = wall.normalize()
iso = date.strftime("%Y-%m-%d")
trading = (date.weekday < 5) & ~iso.isin(closed)
close_time = pd.to_timedelta([early.get(d, "16:00") + ":00" for d in iso])
open_at = date + pd.Timedelta(hours=9, minutes=30)
in_session = trading & (wall >= open_at) & (wall < date + close_time)
session = bars[in_session]
session_day = date[in_session]
half_hour = pd.Timedelta(minutes=30)
bin30 = open_at[in_session] + ((wall[in_session] - open_at[in_session]) // half_hour) * half_hour
bin_stamp = lambda k: pd.Timestamp(k).tz_localize(NY).tz_convert("UTC").strftime("%Y-%m-%dT%H:%M:%S.000Z")


def measures(frame, key, overnight):
    """Per-day measures from the day's closes; the overnight return from the previous group's last close."""
    rows = {c: [] for c in ["date", "rv", "bv", "jump", "rsPos", "rsNeg", "rq", "bars"]}
    prev_last = None
    cum_cc = cum_rv = 0.0
    for k, g in frame.groupby(key, sort=True):
        c = g["close"].to_numpy()
        r = np.diff(np.log(c))
        last, prev = c[-1], prev_last
        prev_last = last
        if overnight == "add":
            if prev is None:
                continue
            r = np.concatenate([[math.log(c[0] / prev)], r])
        rv = float(np.sum(r ** 2))
        bv = float(math.pi / 2 * np.sum(np.abs(r[1:]) * np.abs(r[:-1])))
        m = dict(rv=rv, bv=bv, rsPos=float(np.sum(r[r > 0] ** 2)), rsNeg=float(np.sum(r[r < 0] ** 2)),
                 rq=float(len(r) / 3 * np.sum(r ** 4)))
        factor = 1.0
        if overnight == "scale":
            if prev is None:
                continue
            cum_cc += math.log(last / prev) ** 2
            cum_rv += rv
            factor = cum_cc / cum_rv
        rows["date"].append(day_stamp(k))
        for name in ["rv", "bv", "rsPos", "rsNeg"]:
            rows[name].append(factor * m[name])
        rows["jump"].append(factor * max(rv - bv, 0.0))
        rows["rq"].append(factor * factor * m["rq"])
        rows["bars"].append(float(len(c)))
    return rows


ref = {
    "source": "scripts/realized_ref.py, pandas " + pd.__version__,
    "utcDays": ohlcv(bars, utc_key, day_stamp),
    "nyCutoff": ohlcv(bars, ny_key, day_stamp),
    "nyse": ohlcv(session, session_day, day_stamp),
    "nyse30m": ohlcv(session, bin30, bin_stamp),
    "outsideNyse": int((~in_session).sum()),
    "realized": {
        "nyseExclude": measures(session, session_day, "exclude"),
        "nyseAdd": measures(session, session_day, "add"),
        "nyseScale": measures(session, session_day, "scale"),
        "nyCutoffExclude": measures(bars, ny_key, "exclude"),
    },
}
json.dump(ref, open(f"{out_dir}/realized-ref.json", "w"), indent=1)
print(f"{n} bars, {len(ref['nyse']['date'])} NYSE sessions, {ref['outsideNyse']} bars outside them")
