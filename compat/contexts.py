"""Seeded generation of (entityId, context) pairs that hit, miss and mis-type constraints."""
import json
import math

import goparse
from model import Config, Flag

WEIRD = {
    "string": ["", " ", "bar", " bar", "bar ", "BAR", "é", "e\u0301", "\u00a0bar", "bar\u200b",
               "pro", "free", "\u3000pro\u3000", "\tgold\n", "\u0085x", "x\ufeff", "\u2000pro",
               "\u200bpro"],
    "number": ["42", "42.0", "1e3", "1_000", " 5", "5 ", "+5", "-0", "0x1p3", "NaN", "Inf",
               "3000000000", ".5", "abc", "", "1e400", "2147483648", "-2147483648", "007", "1,5",
               "-7", "4.2e1", " ", "0x10"],
    "boolean": ["true", "false", "T", "F", "1", "0", "yes", "tRUE", " true", "TRUE", "", "no",
                "True", "f", " "],
    "datetime": ["2024-03-01T12:00:00Z", "2024-03-01", "2024-03-01T12:00:00.5Z",
                 "2024-03-01T13:00:00+01:00", "2024-03-01t12:00:00z", "2024-03-01 12:00:00Z",
                 "2024-03-01T12:00:00", "2024-03-01T5:00:00Z", "2024-03-01T12:00:00,5Z",
                 "2024-02-30T00:00:00Z", "not a date", " 2024-03-01T12:00:00Z", "2024-3-01",
                 "2030-01-01T00:00:00Z", ""],
}
SPECIAL_ENTITIES = ["user@flipt.io", "ünïcode-ü", " spaced", "a b", "user-603", "user-2247",
                    "user-286", "user-1410", "1", "123", "e\u0301"]


def _fmt_number(rng, n: float) -> str:
    if math.isnan(n) or math.isinf(n):
        return str(n)
    if n == int(n) and abs(n) < 1e15:
        i = int(n)
        forms = [str(i), f"{i}.0", f"{i}e0", f"+{i}" if i >= 0 else str(i)]
        if abs(i) >= 1000:
            s = f"{i:_}"
            forms.append(s)
        return rng.choice(forms)
    return rng.choice([repr(n), f"{n:e}"])


def _fmt_datetime(rng, ns: int) -> str:
    canon = goparse.format_utc_seconds(ns)
    forms = [canon, canon[:-1] + ".000Z", canon[:-1] + "+00:00"]
    secs = ns // 10**9
    h = (secs // 3600) % 24
    if h < 22:  # same instant at +02:00
        forms.append(goparse.format_utc_seconds(ns + 7200 * 10**9)[:-1] + "+02:00")
    if secs % 86400 == 0:
        forms.append(canon[:10])
    return rng.choice(forms)


def hit_values(rng, c) -> list:
    """Context values that should (mostly) satisfy constraint c on the server."""
    op, cv = c.op, c.stored_value
    if c.type == "string":
        if op in ("isoneof", "isnotoneof"):
            try:
                arr = [x for x in json.loads(cv) if isinstance(x, str)]
            except ValueError:
                arr = []
            return arr + ["other"] if op == "isoneof" else ["other", " other"]
        return {"eq": [cv], "neq": [cv + "z", "zz"], "prefix": [cv + "tail", " " + cv + "x"],
                "suffix": ["head" + cv, "head" + cv + " "], "contains": ["x" + cv + "y", cv],
                "notcontains": ["zzz"], "empty": ["", " ", "\u00a0"], "notempty": ["x", " y"]}.get(op, [])
    if c.type == "number":
        if op in ("present", "notpresent"):
            return ["5", " ", "", "abc"]
        if op in ("isoneof", "isnotoneof"):
            try:
                arr = [x for x in json.loads(cv) if isinstance(x, (int, float))]
            except ValueError:
                arr = []
            return [_fmt_number(rng, float(x)) for x in arr] + ["12345"]
        n = goparse.parse_float(cv)
        if n is None or math.isnan(n):
            return ["0"]
        delta = {"lt": -1, "gt": 1, "neq": 2}.get(op, 0)
        return [_fmt_number(rng, n + delta), _fmt_number(rng, n), _fmt_number(rng, n + 0.5)]
    if c.type == "boolean":
        return {"true": ["true", "T", "1", "TRUE", "True", "t"],
                "false": ["false", "F", "0", "FALSE", "False", "f"]}.get(op, ["true", " ", ""])
    if c.type == "datetime":
        if op in ("present", "notpresent"):
            return ["2024-03-01T12:00:00Z", " ", ""]
        t = goparse.parse_datetime(cv)
        if t is None:
            return []
        delta = {"lt": -1, "gt": 1, "neq": 3600}.get(op, 0) * 10**9
        return [_fmt_datetime(rng, t + delta), _fmt_datetime(rng, t),
                goparse.format_utc_seconds(t)[:-1] + ".5Z"]
    return []


def _constraints(cfg: Config, flag: Flag):
    keys = [k for r in flag.rules for k in r.segment_keys]
    keys += [k for r in flag.rollouts for k in r.segment_keys]
    return [c for k in dict.fromkeys(keys) for c in cfg.segments[k].constraints]


def _entity_candidates(rng, cons):
    out = []
    for c in cons:
        if c.type != "entityId":
            continue
        out += [v for v in hit_values(rng, c) if v.strip()]
    return out


def gen_contexts(rng, cfg: Config, flag: Flag, n: int):
    """n (entityId, context) pairs for one flag. Entity ids are never blank (the client SDK
    refuses them)."""
    cons = _constraints(cfg, flag)
    by_prop = {}
    for c in cons:
        if c.type != "entityId":
            by_prop.setdefault(c.property, []).append(c)
    ent_hits = _entity_candidates(rng, cons)
    out = []
    for i in range(n):
        roll = rng.random()
        if ent_hits and roll < 0.3:
            entity = rng.choice(ent_hits)
        elif roll < 0.45:
            entity = rng.choice(SPECIAL_ENTITIES)
        else:
            entity = f"user-{rng.randint(0, 99999)}"
        ctx = {}
        hit_all = i % 5 == 0  # every 5th context tries to satisfy every constraint
        for prop, pcons in by_prop.items():
            r = rng.random()
            if not hit_all and r < 0.12:
                continue  # missing key
            c = rng.choice(pcons)
            hits = hit_values(rng, c)
            if hits and (hit_all or r < 0.6):
                ctx[prop] = rng.choice(hits)
            else:
                ctx[prop] = rng.choice(WEIRD[rng.choice([c.type, c.type, "string", "number"])])
        if rng.random() < 0.2:
            ctx["noise"] = rng.choice(["x", "", " "])
        out.append((entity, ctx))
    return out
