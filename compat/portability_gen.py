"""Seeded generator of Flipt import documents with every entity kind, already in the exact shape
and order `hoist export --sort-by-key` writes (so an import/export round trip must reproduce it)."""
import json
import random

CONSTRAINTS = [
    # (type, property, operator, value) covering every comparison type and operator
    ("STRING_COMPARISON_TYPE", "plan", "eq", "pro"),
    ("STRING_COMPARISON_TYPE", "plan", "neq", "free"),
    ("STRING_COMPARISON_TYPE", "nickname", "empty", ""),
    ("STRING_COMPARISON_TYPE", "nickname", "notempty", ""),
    ("STRING_COMPARISON_TYPE", "email", "prefix", "admin"),
    ("STRING_COMPARISON_TYPE", "email", "suffix", "@example.com"),
    ("STRING_COMPARISON_TYPE", "country", "isoneof", '["de","fr","jp"]'),
    ("STRING_COMPARISON_TYPE", "country", "isnotoneof", '["us"]'),
    ("STRING_COMPARISON_TYPE", "email", "contains", "test"),
    ("STRING_COMPARISON_TYPE", "email", "notcontains", "spam"),
    ("NUMBER_COMPARISON_TYPE", "age", "eq", "42"),
    ("NUMBER_COMPARISON_TYPE", "age", "neq", "7"),
    ("NUMBER_COMPARISON_TYPE", "age", "lt", "65"),
    ("NUMBER_COMPARISON_TYPE", "age", "lte", "64.5"),
    ("NUMBER_COMPARISON_TYPE", "age", "gt", "17"),
    ("NUMBER_COMPARISON_TYPE", "age", "gte", "18"),
    ("NUMBER_COMPARISON_TYPE", "score", "present", ""),
    ("NUMBER_COMPARISON_TYPE", "score", "notpresent", ""),
    ("NUMBER_COMPARISON_TYPE", "score", "isoneof", "[1,2,3]"),
    ("NUMBER_COMPARISON_TYPE", "score", "isnotoneof", "[10]"),
    ("BOOLEAN_COMPARISON_TYPE", "admin", "true", ""),
    ("BOOLEAN_COMPARISON_TYPE", "admin", "false", ""),
    ("BOOLEAN_COMPARISON_TYPE", "beta", "present", ""),
    ("BOOLEAN_COMPARISON_TYPE", "beta", "notpresent", ""),
    ("DATETIME_COMPARISON_TYPE", "signup", "eq", "2024-03-01T12:00:00Z"),
    ("DATETIME_COMPARISON_TYPE", "signup", "neq", "2024-03-02T00:00:00Z"),
    ("DATETIME_COMPARISON_TYPE", "signup", "lt", "2025-01-01T00:00:00Z"),
    ("DATETIME_COMPARISON_TYPE", "signup", "lte", "2024-06-01T00:00:00Z"),
    ("DATETIME_COMPARISON_TYPE", "signup", "gt", "2020-01-01T00:00:00Z"),
    ("DATETIME_COMPARISON_TYPE", "signup", "gte", "2023-01-01T00:00:00Z"),
    ("DATETIME_COMPARISON_TYPE", "last_seen", "present", ""),
    ("DATETIME_COMPARISON_TYPE", "last_seen", "notpresent", ""),
    ("ENTITY_ID_COMPARISON_TYPE", "entityId", "eq", "user-1"),
    ("ENTITY_ID_COMPARISON_TYPE", "entityId", "neq", "user-2"),
    ("ENTITY_ID_COMPARISON_TYPE", "entityId", "isoneof", '["user-3","user-4"]'),
    ("ENTITY_ID_COMPARISON_TYPE", "entityId", "isnotoneof", '["user-5"]'),
    ("ENTITY_ID_COMPARISON_TYPE", "entityId", "contains", "-1"),
    ("ENTITY_ID_COMPARISON_TYPE", "entityId", "notcontains", "x"),
]
SPLITS = [[100], [50, 50], [33.33, 33.33, 33.34], [12.5, 87.5], [20, 30], [0.05, 99.95]]
ATTACHMENTS = [{"color": "red", "n": 1.5}, {"nested": {"list": [1, 2, {"a": None}]}, "ok": True},
               ["x", "y"], "plain", 42]


def _constraint(t):
    typ, prop, op, value = t
    c = {"type": typ, "property": prop, "operator": op}
    if value:
        c["value"] = value
    return c


def generate(seed, namespaces=3, flags_per_ns=8, segments_per_ns=6):
    """Documents for `namespaces` namespaces (the first is `default`), every entity kind present."""
    rng = random.Random(seed)
    documents = []
    remaining = list(CONSTRAINTS)
    for n in range(namespaces):
        key = "default" if n == 0 else f"ns-{n:02d}"
        ns = {"key": key, "name": "Default" if n == 0 else f"Namespace {n}"}
        if n == 0:
            ns["description"] = "Default namespace"
        elif n % 2:
            ns["description"] = f"described {n}"
        segment_keys = [f"seg-{i}" for i in range(segments_per_ns)]
        segments = []
        for i, skey in enumerate(segment_keys):
            seg = {"key": skey, "name": f"Segment {i}"}
            if i % 2:
                seg["description"] = f"segment number {i}"
            count = rng.randint(0 if i == 0 else 1, 4)
            constraints = []
            for _ in range(count):
                if remaining:
                    constraints.append(_constraint(remaining.pop(0)))
                else:
                    constraints.append(_constraint(rng.choice(CONSTRAINTS)))
            if constraints:
                if rng.random() < 0.3:
                    constraints[0]["description"] = "why this constraint"
                seg["constraints"] = constraints
            seg["match_type"] = rng.choice(["ALL_MATCH_TYPE", "ANY_MATCH_TYPE"])
            segments.append(seg)
        flags = []
        for i in range(flags_per_ns):
            boolean = i % 2 == 1
            flag = {"key": f"flag-{i:02d}", "name": f"Flag {i}",
                    "type": "BOOLEAN_FLAG_TYPE" if boolean else "VARIANT_FLAG_TYPE"}
            if i % 3 == 0:
                flag["description"] = f"flag {i} in {key}"
            flag["enabled"] = rng.random() < 0.8
            if i % 4 == 0:
                flag["metadata"] = {"owner": f"team-{i}", "priority": i, "tags": ["a", "b"]}
            if boolean:
                rollouts = []
                for r in range(rng.randint(1, 3)):
                    if rng.random() < 0.5:
                        keys = rng.sample(segment_keys, rng.randint(1, min(3, len(segment_keys))))
                        seg = {"key": keys[0]} if len(keys) == 1 else {"keys": keys}
                        if len(keys) > 1 and rng.random() < 0.5:
                            seg["operator"] = "AND_SEGMENT_OPERATOR"
                        if rng.random() < 0.6:
                            seg["value"] = True
                        rollout = {"segment": seg}
                    else:
                        threshold = {"percentage": rng.choice([0, 12.5, 25, 50, 99.5, 100])}
                        if rng.random() < 0.6:
                            threshold["value"] = True
                        rollout = {"threshold": threshold}
                    if r == 0:
                        rollout = {"description": "first rollout", **rollout}
                    rollouts.append(rollout)
                flag["rollouts"] = rollouts
            else:
                variant_keys = sorted(rng.sample(["alpha", "beta", "gamma", "delta", "omega"], rng.randint(1, 4)))
                default = rng.choice(variant_keys + [None])
                variants = []
                for j, vkey in enumerate(variant_keys):
                    v = {}
                    if vkey == default:
                        v["default"] = True
                    v["key"] = vkey
                    if j % 2 == 0:
                        v["name"] = vkey.title()
                    if j == 1:
                        v["description"] = "second variant"
                    if rng.random() < 0.5:
                        v["attachment"] = rng.choice(ATTACHMENTS)
                    variants.append(v)
                flag["variants"] = variants
                rules = []
                for _ in range(rng.randint(0, 3)):
                    keys = rng.sample(segment_keys, rng.randint(1, min(3, len(segment_keys))))
                    rule = {"segment": keys[0] if len(keys) == 1 else {
                        "keys": keys, "operator": rng.choice(["OR_SEGMENT_OPERATOR", "AND_SEGMENT_OPERATOR"])}}
                    split = [s for s in SPLITS if len(s) <= len(variant_keys)]
                    chosen = rng.choice(split)
                    targets = rng.sample(variant_keys, len(chosen))
                    if rng.random() < 0.85:
                        rule["distributions"] = [{"variant": v, "rollout": p} for v, p in zip(targets, chosen)]
                    rules.append(rule)
                if rules:
                    flag["rules"] = rules
            flags.append(flag)
        doc = {}
        if n == 0:
            doc["version"] = "1.4"
        doc["namespace"] = ns
        doc["flags"] = flags
        doc["segments"] = segments
        documents.append(doc)
    return documents


def dumps_json(documents):
    return "".join(json.dumps(d) + "\n" for d in documents)


def load_json_stream(text):
    """Documents of a JSON export (skipping the leading comment line)."""
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    return [json.loads(line) for line in lines]


def contexts(seed, count):
    """(entityId, context) pairs that exercise the generated constraints."""
    rng = random.Random(seed)
    out = []
    for i in range(count):
        ctx = {}
        if rng.random() < 0.7:
            ctx["plan"] = rng.choice(["pro", "free", "team"])
        if rng.random() < 0.5:
            ctx["email"] = rng.choice(["admin@example.com", "test@flipt.io", "spam@x.org", "a@example.com"])
        if rng.random() < 0.5:
            ctx["country"] = rng.choice(["de", "fr", "us", "jp"])
        if rng.random() < 0.4:
            ctx["nickname"] = rng.choice(["", "bob"])
        for prop in ("age", "score"):
            if rng.random() < 0.6:
                ctx[prop] = str(rng.choice([1, 2, 7, 10, 17, 18, 42, 64, 65, 80]))
        for prop in ("admin", "beta"):
            if rng.random() < 0.5:
                ctx[prop] = rng.choice(["true", "false"])
        if rng.random() < 0.6:
            ctx["signup"] = rng.choice(["2024-03-01T12:00:00Z", "2019-05-05T00:00:00Z", "2026-01-01T00:00:00Z"])
        if rng.random() < 0.3:
            ctx["last_seen"] = "2024-01-01T00:00:00Z"
        out.append((f"user-{rng.randint(0, 9)}" if i % 3 else f"entity-{i}", ctx))
    return out
