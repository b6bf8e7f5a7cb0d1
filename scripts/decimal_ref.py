"""Reference numbers for the CSV reader's decimal parsing (src/data/csv/csv-number.ts, csv-eisel-lemire.ts), made
independently of the TypeScript code. Writes fixtures/csv/decimal-ref.json with:

- `powers`: the 128-bit significands of 5^q, q in [-342, 308], as 32-hex-digit strings, by exact integer arithmetic
  following Lemire, "Number Parsing at a Gigabyte per Second" (Software: Practice and Experience 51(8), 2021),
  section 5: for q >= 0, 5^q shifted to 128 bits and truncated; for q < 0, floor(2^b / 5^-q) + 1 (b = z + 127 when
  q >= -27, else 2z + 128, where 2^z is the least power of two >= 5^-q), truncated to 128 bits.
- `cases`: decimal strings next to the midpoints between adjacent doubles (the hardest to round: a few units in
  the 17th to 25th significant digit either side of an exact tie, and exact ties themselves), powers of ten near
  the ends of Clinger's range, and the extremes of the double range, each with the double CPython's `float()`
  gives it (David Gay's correctly rounded strtod) as a 16-hex-digit bit pattern.

Run: /usr/bin/python3 scripts/decimal_ref.py
"""
import json
import random
import struct
from decimal import Decimal, getcontext
from pathlib import Path

getcontext().prec = 1200


def power_table():
    out = []
    for q in range(-342, 309):
        if q >= 0:
            v = 5**q
            while v < 1 << 127:
                v <<= 1
        else:
            p = 5 ** (-q)
            z = 0
            while (1 << z) < p:
                z += 1
            b = z + 127 if q >= -27 else 2 * z + 128
            v = (1 << b) // p + 1
        while v >= 1 << 128:
            v >>= 1
        out.append(format(v, "032x"))
    return out


def bits(x):
    return format(struct.unpack("<Q", struct.pack("<d", x))[0], "016x")


def from_bits(b):
    return struct.unpack("<d", struct.pack("<Q", b))[0]


def significant(d, digits):
    """The decimal d rounded down to `digits` significant digits, as a string in exponent notation."""
    sign, ds, exp = d.as_tuple()
    ds = ds[:digits]
    mantissa = "".join(map(str, ds))
    e = exp + (len(d.as_tuple().digits) - len(ds))
    return ("-" if sign else "") + mantissa + "e" + str(e)


def near_ties(rng, count):
    cases = []
    for _ in range(count):
        # A random normal double (exponent over the whole range) and the exact midpoint to its successor.
        b = rng.randrange(1, 0x7FE) << 52 | rng.getrandbits(52)
        x = from_bits(b)
        mid = (Decimal(x) + Decimal(from_bits(b + 1))) / 2
        for digits in (17, 18, 19, 20, 25):
            s = significant(mid, digits)
            m, e = s.split("e")
            for delta in (-1, 0, 1):
                cases.append(f"{int(m) + delta}e{e}")
        if len(mid.as_tuple().digits) <= 40:
            cases.append(format(mid, "e"))  # the exact tie, where it is short
    return cases


def short_ties(rng, count):
    # Exact ties with few digits: integers of 54 to 64 bits halfway between two adjacent doubles, and the same
    # digits over powers of ten.
    cases = []
    for _ in range(count):
        k = rng.randrange(54, 65)
        n = rng.getrandbits(k - 1) | 1 << (k - 1)
        ulp = 1 << (k - 53)
        tie = n - n % ulp + ulp // 2
        cases.append(str(tie))
        cases.append(f"{tie}e-{rng.randrange(1, 23)}")
    return cases


def fixed_cases():
    cases = [
        "9007199254740991", "9007199254740992", "9007199254740993", "9007199254740994", "9007199254740995",
        "18014398509481985", "4503599627370497.5", "4503599627370496.5", "1e22", "1e23", "1e-22", "1e-23",
        "123456789e22", "9007199254740991e22", "9007199254740993e22", "1.7976931348623157e308",
        "1.7976931348623158e308", "2.2250738585072014e-308", "2.2250738585072011e-308", "7.038531e-26",
        "1.00000000000000011102230246251565404236316680908203125",
        "1.00000000000000011102230246251565404236316680908203124",
        "1.00000000000000011102230246251565404236316680908203126", "0.1", "0.2", "0.3", "123.456",
        "5.033805775751152e+120", "1.9383187334094688e+37", "12345678901.123456", "99999999999999999999",
        "0.000000000000000000000000000001", "3.141592653589793238462643383279",
    ]
    for k in range(-30, 31):
        cases.append(f"1e{k}")
        cases.append(f"9007199254740991e{k}")
    return cases


def main():
    rng = random.Random(16)
    cases = fixed_cases() + short_ties(rng, 100) + near_ties(rng, 150)
    out = {
        "source": "scripts/decimal_ref.py with CPython's float() (correctly rounded) and exact integers",
        "powers": power_table(),
        "cases": [[s, bits(float(s))] for s in cases],
    }
    path = Path(__file__).resolve().parent.parent / "fixtures" / "csv" / "decimal-ref.json"
    path.write_text(json.dumps(out, indent=0) + "\n")
    print(f"wrote {path}: {len(out['powers'])} powers, {len(out['cases'])} cases")


if __name__ == "__main__":
    main()
