"""The client snapshot endpoint the flipt-client engines poll (spec evaluation §6).

Compares what the engine reads from Hoist's snapshot with snapshot.build() of the same Config,
and checks ETag / If-None-Match / X-Flipt-Accept-Server-Version handling.
"""
import random
import re

import pytest

import hoist_api
import snapshot
from goparse import f32
from model import Config, Constraint, Distribution, Flag, Rollout, Rule, Segment, Variant

NS = "snap-compat"


def snap_config() -> Config:
    segs = {"a": Segment("a", "ANY", [Constraint("string", "plan", "EQ", "pro"),
                                      Constraint("datetime", "d", "gt", "2024-03-01T14:00:00.5+02:00"),
                                      Constraint("boolean", "b", "true", "ignored")]),
            "b": Segment("b", "ALL", [Constraint("entityId", "entityId", "isoneof", '["u1", "u2"]'),
                                      Constraint("number", "n", "isnotoneof", "[1, 2.5]")]),
            "c": Segment("c", "ALL")}
    flags = [
        Flag("v", "VARIANT", True, [Variant("x", '{ "k": [1, 2] }'), Variant("y")], "y",
             rules=[Rule(2, ["a", "b"], "AND", [Distribution("x", 33.33), Distribution("y", 66.67)]),
                    Rule(1, ["c"], "OR", [Distribution("x", 0.05), Distribution("y", 0)])]),
        Flag("bool", "BOOLEAN", False, rollouts=[Rollout(1, "threshold", True, percentage=12.34),
                                                  Rollout(2, "segment", False, segment_keys=["a", "c"],
                                                          operator="AND")]),
        Flag("empty", "VARIANT", False),
    ]
    return Config(NS, segs, flags)


def engine_view(doc: dict) -> dict:
    """The parts of a snapshot document the Rust engine reads (spec evaluation §6.4)."""
    def seg(s):
        return (s["key"], s["matchType"], tuple((c["type"], c["property"], c["operator"], c["value"])
                                                for c in s["constraints"]))

    def segs(lst):
        return sorted(seg(s) for s in lst)

    flags = []
    for f in doc["flags"]:
        rules = [(segs(r.get("segments") or []), r["segmentOperator"],
                  [(d["variantKey"], f32(d["rollout"]), d.get("variantAttachment", ""))
                   for d in r["distributions"]]) for r in f.get("rules") or []]
        rollouts = []
        for r in f.get("rollouts") or []:
            if "threshold" in r:
                rollouts.append((r["type"], f32(r["threshold"]["percentage"]), r["threshold"]["value"]))
            else:
                s = r["segment"]
                rollouts.append((r["type"], s["value"], s.get("segmentOperator", "OR_SEGMENT_OPERATOR"),
                                 segs(s["segments"])))
        dv = f.get("defaultVariant")
        flags.append({"key": f["key"], "enabled": f["enabled"], "type": f.get("type", "VARIANT_FLAG_TYPE"),
                      "rules": rules, "rollouts": rollouts,
                      "defaultVariant": dv and (dv["key"], dv.get("attachment", ""))})
    return {"namespace": doc["namespace"]["key"], "flags": flags}


@pytest.fixture(scope="module")
def loaded(hoist_url):
    cfg = snap_config()
    api = hoist_api.HoistAPI(hoist_url)
    problems = hoist_api.load_config(api, cfg, random.Random(2))
    assert not problems, problems
    return cfg, api


def test_snapshot_content(loaded):
    cfg, api = loaded
    r = api.snapshot(NS, {"X-Flipt-Accept-Server-Version": "1.47.0"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/json")
    got, want = engine_view(r.json()), engine_view(snapshot.build(cfg))
    diffs = [f"flag {a['key']} {k}:\n  hoist:    {a[k]}\n  expected: {b[k]}"
             for a, b in zip(got["flags"], want["flags"]) for k in a if a[k] != b[k]]
    assert not diffs, "\n".join(diffs)
    assert got == want


def test_snapshot_etag(loaded):
    cfg, api = loaded
    r = api.snapshot(NS)
    etag = r.headers.get("etag")
    assert r.status_code == 200 and etag
    r2 = api.snapshot(NS, {"If-None-Match": etag})
    assert r2.status_code == 304 and r2.content == b"" and r2.headers.get("etag") == etag
    assert api.snapshot(NS, {"If-None-Match": "W/" + etag}).status_code == 200  # no weak matching
    api.json("POST", f"{hoist_api.NS}/{NS}/flags", {"key": "later", "name": "later"})
    r3 = api.snapshot(NS, {"If-None-Match": etag})
    assert r3.status_code == 200 and r3.headers.get("etag") not in (None, etag)
    assert [f["key"] for f in r3.json()["flags"]][-1] == "later"


def test_snapshot_version_gating(loaded):
    _, api = loaded
    old = api.snapshot(NS, {"X-Flipt-Accept-Server-Version": "1.37.0"}).json()
    new = api.snapshot(NS, {"X-Flipt-Accept-Server-Version": "v1.47"}).json()
    missing = api.snapshot(NS).json()  # counts as 1.37.1
    for doc, gated in ((old, True), (new, False), (missing, True)):
        v = next(f for f in doc["flags"] if f["key"] == "v")
        types = {c["type"] for r in v["rules"] for s in r["segments"] for c in s["constraints"]
                 if c["property"] == "entityId"}
        assert types == ({"UNKNOWN_CONSTRAINT_COMPARISON_TYPE"} if gated
                         else {"ENTITY_ID_CONSTRAINT_COMPARISON_TYPE"})
        assert ("defaultVariant" in v) is (not gated)


def test_snapshot_unknown_namespace(hoist_url):
    r = hoist_api.HoistAPI(hoist_url).snapshot("does-not-exist")
    assert r.status_code == 200
    assert r.json()["namespace"] == {"key": "does-not-exist"} and r.json()["flags"] == []


def test_snapshot_enum_names(loaded):
    _, api = loaded
    text = api.snapshot(NS, {"X-Flipt-Accept-Server-Version": "1.47.0"}).text
    for name in re.findall(r'"(?:type|matchType|segmentOperator)":\s*"([A-Z_]+)"', text):
        assert name in {"VARIANT_FLAG_TYPE", "BOOLEAN_FLAG_TYPE", "ALL_SEGMENT_MATCH_TYPE",
                        "ANY_SEGMENT_MATCH_TYPE", "OR_SEGMENT_OPERATOR", "AND_SEGMENT_OPERATOR",
                        "THRESHOLD_ROLLOUT_TYPE", "SEGMENT_ROLLOUT_TYPE",
                        "STRING_CONSTRAINT_COMPARISON_TYPE", "NUMBER_CONSTRAINT_COMPARISON_TYPE",
                        "BOOLEAN_CONSTRAINT_COMPARISON_TYPE", "DATETIME_CONSTRAINT_COMPARISON_TYPE",
                        "ENTITY_ID_CONSTRAINT_COMPARISON_TYPE"}, name
