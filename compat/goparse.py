"""Go standard-library behaviour that Flipt's server evaluation relies on.

Independent Python reimplementation of (spec: flipt-v1-evaluation.md §3.4, §9):
  * strings.TrimSpace
  * strconv.ParseFloat(s, 64)
  * strconv.ParseBool
  * time.Parse(time.RFC3339, s) with fallback to time.Parse("2006-01-02", s)
  * float32 rounding (decimal text -> float32, correctly rounded)
  * encoding/json.Compact (whitespace removal only)
"""
import math
import re
import struct
from fractions import Fraction

# --- strings.TrimSpace -------------------------------------------------------
GO_SPACE = set("\t\n\v\f\r \u0085\u00a0\u1680\u2028\u2029\u202f\u205f\u3000"
               + "".join(chr(c) for c in range(0x2000, 0x200B)))


def trim_space(s: str) -> str:
    i, j = 0, len(s)
    while i < j and s[i] in GO_SPACE:
        i += 1
    while j > i and s[j - 1] in GO_SPACE:
        j -= 1
    return s[i:j]


# --- strconv.ParseFloat -------------------------------------------------------
_DEC = re.compile(r"[+-]?(?:[0-9_]+\.?[0-9_]*|\.[0-9_]+)(?:[eE][+-]?[0-9_]+)?\Z")
_HEX = re.compile(r"[+-]?0[xX](?:[0-9a-fA-F_]+\.?[0-9a-fA-F_]*|\.[0-9a-fA-F_]+)"
                  r"[pP][+-]?[0-9_]+\Z")


def _underscore_ok(s: str) -> bool:
    """Go strconv.underscoreOK."""
    saw = "^"
    i = 0
    if s[:1] in ("+", "-"):
        s = s[1:]
    hexa = False
    if len(s) >= 2 and s[0] == "0" and s[1].lower() in "box":
        i = 2
        saw = "0"
        hexa = s[1].lower() == "x"
    while i < len(s):
        c = s[i]
        if c.isascii() and (c.isdigit() or (hexa and c.lower() in "abcdef")):
            saw = "0"
        elif c == "_":
            if saw != "0":
                return False
            saw = "_"
        else:
            if saw == "_":
                return False
            saw = "!"
        i += 1
    return saw != "_"


def parse_float(s: str):
    """Go strconv.ParseFloat(s, 64). Returns a float, or None on any error."""
    if not s.isascii():
        return None
    signed = s[:1] in ("+", "-")
    low = (s[1:] if signed else s).lower()
    if low in ("inf", "infinity"):
        return -math.inf if s[0] == "-" else math.inf
    if low == "nan":
        return None if signed else math.nan  # no sign allowed on NaN
    if _HEX.match(s):
        if "_" in s and not _underscore_ok(s):
            return None
        clean = s.replace("_", "")
        mant = clean.split("p")[0].split("P")[0]
        if not any(c in "0123456789abcdefABCDEF" for c in mant.split("x")[-1].split("X")[-1]):
            return None
        try:
            return float.fromhex(clean)
        except OverflowError:
            return None
    if _DEC.match(s):
        if "_" in s and not _underscore_ok(s):
            return None
        clean = s.replace("_", "")
        mant = re.split("[eE]", clean)[0]
        if not any(c.isdigit() for c in mant):
            return None
        v = float(clean)
        if math.isinf(v):
            return None  # ErrRange on overflow
        return v
    return None


# --- strconv.ParseBool --------------------------------------------------------
_TRUE = {"1", "t", "T", "TRUE", "true", "True"}
_FALSE = {"0", "f", "F", "FALSE", "false", "False"}


def parse_bool(s: str):
    if s in _TRUE:
        return True
    if s in _FALSE:
        return False
    return None


# --- time.Parse ---------------------------------------------------------------
_DIGIT = "0123456789"


def _days_from_civil(y: int, m: int, d: int) -> int:
    y -= m <= 2
    era = (y if y >= 0 else y - 399) // 400
    yoe = y - era * 400
    doy = (153 * (m + (-3 if m > 2 else 9)) + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def _days_in_month(y: int, m: int) -> int:
    if m == 2:
        return 29 if (y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)) else 28
    return 30 if m in (4, 6, 9, 11) else 31


def _date(v: str):
    """Parse 'YYYY-MM-DD' prefix as Go's layout 2006-01-02 does. Returns (y,m,d,rest)."""
    if len(v) < 10 or not all(c in _DIGIT for c in v[0:4]) or v[4] != "-":
        return None
    if not all(c in _DIGIT for c in v[5:7]) or v[7] != "-" or not all(c in _DIGIT for c in v[8:10]):
        return None
    y, m, d = int(v[0:4]), int(v[5:7]), int(v[8:10])
    if not 1 <= m <= 12 or not 1 <= d <= _days_in_month(y, m):
        return None
    return y, m, d, v[10:]


def parse_rfc3339(v: str):
    """Go time.Parse(time.RFC3339, v) (general, lenient parser). Returns ns since epoch or None."""
    r = _date(v)
    if r is None:
        return None
    y, mo, d, rest = r
    if not rest.startswith("T"):
        return None
    rest = rest[1:]
    # hour: one or two digits (layout "15")
    if not rest[:1] or rest[0] not in _DIGIT:
        return None
    n = 2 if len(rest) > 1 and rest[1] in _DIGIT else 1
    hh, rest = int(rest[:n]), rest[n:]
    if hh >= 24 or rest[:1] != ":":
        return None
    mm_s, rest = rest[1:3], rest[3:]
    if len(mm_s) != 2 or not all(c in _DIGIT for c in mm_s) or int(mm_s) >= 60 or rest[:1] != ":":
        return None
    ss_s, rest = rest[1:3], rest[3:]
    if len(ss_s) != 2 or not all(c in _DIGIT for c in ss_s) or int(ss_s) >= 60:
        return None
    nanos = 0
    if len(rest) >= 2 and rest[0] in ".," and rest[1] in _DIGIT:
        k = 1
        while k < len(rest) and rest[k] in _DIGIT:
            k += 1
        frac = rest[1:k][:9]
        nanos = int(frac.ljust(9, "0"))
        rest = rest[k:]
    if rest == "Z":
        off = 0
    elif len(rest) == 6 and rest[0] in "+-" and rest[3] == ":" and \
            all(c in _DIGIT for c in rest[1:3] + rest[4:6]):
        oh, om = int(rest[1:3]), int(rest[4:6])
        if oh > 24 or om > 60:
            return None
        off = (oh * 60 + om) * 60 * (1 if rest[0] == "+" else -1)
    else:
        return None
    secs = _days_from_civil(y, mo, d) * 86400 + hh * 3600 + int(mm_s) * 60 + int(ss_s) - off
    return secs * 1_000_000_000 + nanos


def parse_date_only(v: str):
    r = _date(v)
    if r is None or r[3] != "":
        return None
    return _days_from_civil(r[0], r[1], r[2]) * 86400 * 1_000_000_000


def parse_datetime(v: str):
    """Flipt's tryParseDateTime: RFC3339, then date-only. ns since epoch or None."""
    t = parse_rfc3339(v)
    return t if t is not None else parse_date_only(v)


def format_utc_seconds(ns: int) -> str:
    """Go t.UTC().Format(time.RFC3339) (fraction dropped)."""
    secs = ns // 1_000_000_000
    days, sod = divmod(secs, 86400)
    # civil_from_days
    z = days + 719468
    era = (z if z >= 0 else z - 146096) // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    y = yoe + era * 400
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    d = doy - (153 * mp + 2) // 5 + 1
    m = mp + (3 if mp < 10 else -9)
    y += m <= 2
    return "%04d-%02d-%02dT%02d:%02d:%02dZ" % (y, m, d, sod // 3600, sod // 60 % 60, sod % 60)


def normalize_datetime_constraint(v: str) -> str:
    """What the SQL store saves for a DATETIME constraint value (spec API §4.3)."""
    if parse_rfc3339(v) is not None:
        return format_utc_seconds(parse_rfc3339(v))
    return v


# --- float32 ------------------------------------------------------------------
def f32(x: float) -> float:
    """Round a float64 to the nearest float32 (ties to even)."""
    return struct.unpack("<f", struct.pack("<f", x))[0]


def _f32_neighbors(x: float):
    bits = struct.unpack("<I", struct.pack("<f", x))[0]
    out = [x]
    for b in (bits - 1, bits + 1):
        if 0 <= b < 0xFFFFFFFF:
            v = struct.unpack("<f", struct.pack("<I", b))[0]
            if math.isfinite(v):
                out.append(v)
    return out


def f32_from_decimal(text: str) -> float:
    """Correctly rounded decimal -> float32 (as Go's ParseFloat(s, 32) / Swift Float(s))."""
    exact = Fraction(text)
    best = None
    for c in _f32_neighbors(f32(float(text))):
        err = abs(Fraction(c) - exact)
        mant_even = struct.unpack("<I", struct.pack("<f", c))[0] % 2 == 0
        key = (err, not mant_even)
        if best is None or key < best[0]:
            best = (key, c)
    return best[1]


# --- encoding/json.Compact ----------------------------------------------------
def json_compact(s: str) -> str:
    out, in_str, esc = [], False, False
    for ch in s:
        if in_str:
            out.append(ch)
            if esc:
                esc = False
            elif ch == "\\":
                esc = True
            elif ch == '"':
                in_str = False
        elif ch == '"':
            in_str = True
            out.append(ch)
        elif ch not in " \t\r\n":
            out.append(ch)
    return "".join(out)
