"""Seeded random generator of Flipt flag configurations (see contexts.py for the contexts)."""
import json
import random
from decimal import Decimal

from model import (OPERATORS, Config, Constraint, Distribution, Flag, Rollout, Rule, Segment,
                   Variant)

PROPS = {"string": ["plan", "country", "email", "tier"], "number": ["age", "score", "count"],
         "boolean": ["admin", "beta"], "datetime": ["signup", "last_seen"]}
WORDS = ["pro", "free", "bar", "baz", "gold", "US", "de", "é", "e\u0301", "日本", "a b", "x\"y",
         "tab\tx", "user@flipt.io", "Pro", "ü"]
NUMBERS = ["42", "0", "-7", "3.5", "1e3", "100", "2147483647", "3000000000", "42.0", "0.1",
           "1_000", "-2147483648", "18", "65", "NaN", "Inf", "0x1p3", "+5", ".5", "-0"]
DATETIMES = ["2024-03-01T12:00:00Z", "2024-03-01T14:00:00+02:00", "2024-03-01",
             "2024-03-01T12:00:00.750Z", "1999-12-31T23:59:59-05:00", "2030-01-01T00:00:00Z",
             "2024-02-29"]
ENTITIES = ["user-1", "user-2", "user-42", "user@flipt.io", "admin-7", "ünï-3"]
EXACT_100 = [[33.33, 33.33, 33.34], [57.3, 42.7], [2.3, 97.7], [0.05, 99.95], [8.7, 91.3],
             [58.1, 41.9], [50, 50], [100], [12.5, 12.5, 75], [0.1, 0.2, 99.7], [19.99, 80.01],
             [25, 25, 25, 25], [0, 100], [0, 50, 0, 50]]
BELOW_100 = [[30, 30], [10], [33.3, 33.3, 33.3], [0.05], [49.99, 50], [99.99], [57.3], [0, 2.3]]
ABOVE_100 = [[60, 60], [50.5, 50], [100, 100]]
THRESHOLDS = [0, 100, 50, 50.5, 33.3, 0.05, 99.99, 12.5, 49.5, 1, 66.67]
ATTACHMENTS = ['{ "color": "red", "n": 1.50 }', '[1, 2, {"a": null}]', '"hi there"', "42",
               '{"nested": {"x": [true, false]}, "s": "a b"}', "true",
               '{\n  "s" : "caf\\u00e9 \\"q\\" é",\t"e": 1E+2 }']


def _split_exact(rng, k):
    """k two-decimal percentages summing to exactly 100 (in decimal)."""
    cuts = sorted(rng.randint(0, 10000) for _ in range(k - 1))
    parts = [b - a for a, b in zip([0] + cuts, cuts + [10000])]
    return [float(Decimal(p) / 100) for p in parts]


def _percentages(rng, k):
    roll = rng.random()
    if roll < 0.45:
        pool = [p for p in EXACT_100 if len(p) <= k]
        return list(rng.choice(pool))
    if roll < 0.7:
        return _split_exact(rng, rng.randint(1, k))
    if roll < 0.93:
        return list(rng.choice([p for p in BELOW_100 if len(p) <= k]))
    return list(rng.choice([p for p in ABOVE_100 if len(p) <= k] or [[100]]))


def _constraint_value(rng, typ, op):
    if op in ("true", "false", "empty", "notempty", "present", "notpresent"):
        return rng.choice(["", "", "ignored"])  # the store clears it
    if typ in ("string", "entityId"):
        words = ENTITIES + WORDS[:6] if typ == "entityId" else WORDS
        if op in ("isoneof", "isnotoneof"):
            arr = rng.sample(words, rng.randint(1, 4))
            return json.dumps(arr, ensure_ascii=rng.random() < 0.3)
        return rng.choice(words)
    if typ == "number":
        if op in ("isoneof", "isnotoneof"):
            nums = rng.sample([3, 42, -7, 0, 100, 18, 65, 1000], rng.randint(1, 4))
            if rng.random() < 0.25:
                nums.append(rng.choice([3.14159, 42.5, 1e3]))
            return json.dumps(nums)
        return rng.choice(NUMBERS)
    return rng.choice(DATETIMES)


def gen_constraint(rng, typ=None, op=None):
    typ = typ or rng.choice(["string", "string", "number", "number", "boolean", "datetime", "entityId"])
    op = op or rng.choice(OPERATORS[typ])
    if typ == "entityId":
        prop = "entityId"
    elif rng.random() < 0.15:  # a property usually holding another type: mis-typed values
        prop = rng.choice(sum(PROPS.values(), []))
    else:
        prop = rng.choice(PROPS[typ])
    sent_op = op.upper() if rng.random() < 0.1 else op
    return Constraint(typ, prop, sent_op, _constraint_value(rng, typ, op))


def gen_segments(rng, n):
    """n segments; the first two have no constraints; every (type, operator) pair occurs."""
    combos = [(t, o) for t, ops in OPERATORS.items() for o in ops]
    rng.shuffle(combos)
    segs = {}
    for i in range(n):
        cons = []
        if i > 1:
            k = rng.choice([1, 1, 2, 2, 3])
            while combos and len(cons) < k:
                cons.append(gen_constraint(rng, *combos.pop()))
            while len(cons) < k:
                cons.append(gen_constraint(rng))
        segs[f"seg_{i:02d}"] = Segment(f"seg_{i:02d}", rng.choice(["ALL", "ANY"]), cons)
    return segs


def _ranks(rng, n):
    ranks = list(range(1, n + 1))
    rng.shuffle(ranks)  # created out of rank order
    return ranks


def _seg_keys(rng, segs):
    return rng.sample(sorted(segs), rng.choice([1, 1, 1, 2, 2, 3]))


def gen_variant_flag(rng, key, segs):
    names = rng.sample(["blue", "red", "green", "v_ü", "control", "treatment", "x"], rng.randint(1, 5))
    variants = [Variant(n, rng.choice(ATTACHMENTS) if rng.random() < 0.5 else "") for n in names]
    flag = Flag(key, "VARIANT", rng.random() > 0.1, variants,
                rng.choice(names) if rng.random() < 0.4 else None)
    for rank in _ranks(rng, rng.choice([0, 1, 1, 2, 2, 3, 4])):
        dists = []
        if rng.random() > 0.15:
            pcts = _percentages(rng, len(variants))
            keys = rng.sample(names, len(pcts))
            dists = [Distribution(k, p) for k, p in zip(keys, pcts)]
        segkeys = _seg_keys(rng, segs)
        flag.rules.append(Rule(rank, segkeys, rng.choice(["OR", "AND"]), dists))
    return flag


def gen_boolean_flag(rng, key, segs):
    flag = Flag(key, "BOOLEAN", rng.random() > 0.3)
    for rank in range(1, rng.choice([0, 1, 2, 2, 3, 4]) + 1):
        if rng.random() < 0.45:
            pct = rng.choice(THRESHOLDS) if rng.random() < 0.6 else round(rng.uniform(0, 100), 2)
            flag.rollouts.append(Rollout(rank, "threshold", rng.random() < 0.5, percentage=float(pct)))
        else:
            flag.rollouts.append(Rollout(rank, "segment", rng.random() < 0.5,
                                         segment_keys=_seg_keys(rng, segs),
                                         operator=rng.choice(["OR", "AND"])))
    return flag


SEP = ["_", "-", ","]  # flag keys may contain "-" and "," (spec API §4.1)


def gen_config(seed: int, n_flags: int = 60, n_segments: int = 32) -> Config:
    rng = random.Random(seed)
    cfg = Config(f"diff-{seed}", gen_segments(rng, n_segments))
    for i in range(n_flags):
        if rng.random() < 0.62:
            cfg.flags.append(gen_variant_flag(rng, f"vflag{SEP[i % 3]}{i:03d}", cfg.segments))
        else:
            cfg.flags.append(gen_boolean_flag(rng, f"bflag{SEP[i % 3]}{i:03d}", cfg.segments))
    return cfg
