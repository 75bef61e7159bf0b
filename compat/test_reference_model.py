"""Unit tests of the Python reference model against the spec's vectors (no server needed).

Spec: flipt-v1-evaluation.md §4.2 (float32 widths), §5.1/§5.2/§5.3 (vectors), §9.3/§9.4 (Go parsing).
"""
import math

import pytest

import goparse
import refmodel
from model import Config, Constraint, Distribution, Flag, Rollout, Rule, Segment, Variant

V = [  # §5.1: (id, flagKey, entityId, crc or None, bucket, [(variant, rollout)], expected or None)
    ("V1", "foo", "1", 3476655244, 244, [("boz", 50), ("booz", 50)], "boz"),
    ("V2", "foo", "2", 1446042934, 934, [("boz", 50), ("booz", 50)], "booz"),
    ("V3", "foo", "10", 270150054, 54, [("boz", 50), ("moz", 50)], "boz"),
    ("V4", "foo", "01", 2114332785, 785, [("boz", 50), ("moz", 50)], "moz"),
    ("V5", "foo", "123", 1614934253, 253, [("boz", 10)], None),
    ("V6", "foo", "1", 3476655244, 244, [("boz", 0), ("booz", 100)], "booz"),
    ("V7", "foo", "1", 3476655244, 244,
     [("1", 0), ("2", 0), ("3", 50), ("4", 0), ("5", 0), ("6", 50)], "3"),
    ("V8", "flag_001", "some-fixed-entity-id", 1828167553, 553,
     [("variant_001", 50), ("variant_002", 50)], "variant_002"),
    ("V9", "flag_002", "some-fixed-entity-id", 401153378, 378,
     [("variant_001", 50), ("variant_002", 50)], "variant_001"),
    ("V10", "flag_variant_and_segments", "some-fixed-entity-id", 3583434531, 531,
     [("variant_001", 50), ("variant_002", 50)], "variant_002"),
    ("V11", "flag_using_entity_id", "user@flipt.io", 3004862939, 939,
     [("variant_001", 100)], "variant_001"),
    ("V12", "foo", "user-603", None, 999, [("a", 33.33), ("b", 33.33), ("c", 33.34)], None),
    ("V13", "foo", "user-286", None, 572, [("a", 57.3), ("b", 42.7)], "a"),
    ("V14", "foo", "user-1410", None, 22, [("a", 2.3), ("b", 97.7)], "a"),
    ("V15", "foo", "user-2247", None, 700, [("a", 30), ("b", 30)], None),
]


def one_rule_flag(key, dists, default=None, segment_keys=("all",), op="OR"):
    variants = [Variant(k) for k, _ in dists] or [Variant("x")]
    if default and all(v.key != default for v in variants):
        variants.append(Variant(default))
    return Flag(key, "VARIANT", True, variants, default,
                rules=[Rule(1, list(segment_keys), op, [Distribution(k, float(r)) for k, r in dists])])


def cfg_with(*segments):
    return Config("default", {s.key: s for s in (Segment("all", "ALL"),) + segments})


@pytest.mark.parametrize("vec", V, ids=[v[0] for v in V])
def test_variant_vectors(vec):
    _, flag_key, entity, crc, bucket, dists, expected = vec
    if crc is not None:
        assert refmodel.crc32(flag_key + entity) == crc
    assert refmodel.crc32(flag_key + entity) % 1000 == bucket
    res, trace = refmodel.evaluate_variant(cfg_with(), one_rule_flag(flag_key, dists), entity, {})
    assert trace.bucket == bucket
    if expected is None:
        assert res == {"match": False, "segmentKeys": {"all"}, "reason": "UNKNOWN_EVALUATION_REASON",
                       "variantKey": "", "variantAttachment": ""}
    else:
        assert (res["match"], res["reason"], res["variantKey"]) == (True, "MATCH_EVALUATION_REASON", expected)


def test_v5_with_default_variant():
    flag = one_rule_flag("foo", [("boz", 10)], default="bar")
    res, _ = refmodel.evaluate_variant(cfg_with(), flag, "123", {})
    assert (res["match"], res["reason"], res["variantKey"]) == (False, "DEFAULT_EVALUATION_REASON", "bar")
    assert res["segmentKeys"] == {"all"}


def test_v16_v17_hash_order():
    assert refmodel.crc32("test-flag" + "test-entity") == 823762745
    assert refmodel.crc32("foo") % 1000 == 769


@pytest.mark.parametrize("rollout,width", [(57.3, 573), (2.3, 23), (8.7, 87), (58.1, 581),
                                           (33.33, 333), (33.34, 333), (0.05, 0)])
def test_float32_widths(rollout, width):
    assert refmodel.widths([goparse.f32_from_decimal(repr(rollout))]) == [width]


def test_boundaries_33():
    r = [goparse.f32_from_decimal(x) for x in ("33.33", "33.33", "33.34")]
    assert refmodel.widths(r) == [333, 333, 333]


B = [  # §5.2: (id, flagKey, entityId, crc, mod, rollouts, flag enabled, context, expected)
    ("B1", "test-flag", "test-entity", 4255329765, 65, [("t", 5, False)], True, {},
     (True, "DEFAULT_EVALUATION_REASON")),
    ("B2", "test-flag", "test-entity", 4255329765, 65, [("t", 70, False)], True, {},
     (False, "MATCH_EVALUATION_REASON")),
    ("B3", "test-flag", "test-entity", 4255329765, 65, [("t", 80, True)], True, {},
     (True, "MATCH_EVALUATION_REASON")),
    ("B4", "test-flag", "test-entity", 4255329765, 65, [("t", 5, False), ("s", "hello", True)], True,
     {"hello": "world"}, (True, "MATCH_EVALUATION_REASON")),
    ("B5", "flag_boolean", "hello", 2534128796, 96, [("s", "hello", True), ("t", 50, True)], False,
     {}, (False, "DEFAULT_EVALUATION_REASON")),
    ("B6", "flag_boolean", "fixed", 4136381709, 9, [("s", "hello", True), ("t", 50, True)], False,
     {}, (True, "MATCH_EVALUATION_REASON")),
    ("B7", "bool-flag", "user-76", 3727097049, 49, [("t", 50, True)], True, {},
     (True, "MATCH_EVALUATION_REASON")),
    ("B8a", "bool-flag", "user-42", 1311718050, 50, [("t", 50, False)], True, {},
     (True, "DEFAULT_EVALUATION_REASON")),
    ("B8b", "bool-flag", "user-42", 1311718050, 50, [("t", 50.5, False)], True, {},
     (False, "MATCH_EVALUATION_REASON")),
]


@pytest.mark.parametrize("vec", B, ids=[b[0] for b in B])
def test_boolean_vectors(vec):
    _, flag_key, entity, crc, mod, rollouts, enabled, ctx, expected = vec
    assert refmodel.crc32(entity + flag_key) == crc and crc % 100 == mod
    cfg = cfg_with(Segment("hello", "ALL", [Constraint("string", "hello", "eq", "world")]))
    ros = []
    for i, (kind, arg, value) in enumerate(rollouts):
        if kind == "t":
            ros.append(Rollout(i + 1, "threshold", value, percentage=float(arg)))
        else:
            ros.append(Rollout(i + 1, "segment", value, segment_keys=[arg]))
    res, _ = refmodel.evaluate_boolean(cfg, Flag(flag_key, "BOOLEAN", enabled, rollouts=ros), entity, ctx)
    assert (res["enabled"], res["reason"]) == expected


C = [  # §5.3: (id, type, operator, constraint value, context value or None=missing, expected)
    ("C1", "string", "empty", "", " ", True), ("C2", "string", "notempty", "", "", False),
    ("C3", "string", "prefix", "ba", "bar", True), ("C4", "string", "suffix", "bar", "nope", False),
    ("C5", "string", "isoneof", '["bar", "baz"]', "baz", True),
    ("C6", "string", "isoneof", '["bar", "baz"', "bar", False),
    ("C7", "string", "isoneof", '["bar", 5]', "bar", False),
    ("C8", "string", "isnotoneof", '["bar", "baz"]', "nope", True),
    ("C9a", "string", "contains", "bar", "foobar", True),
    ("C9b", "string", "notcontains", "bar", "foobar", False),
    ("C10", "string", "foo", "bar", "bar", False),
    ("C11", "number", "eq", "42.0", "42.0", True), ("C12", "number", "gt", "10.11", "10.12", True),
    ("C13", "number", "eq", "bar", "5", False),
    ("C14", "number", "isoneof", "[3, 3.14159, 4]", "3.14159", True),
    ("C15", "number", "isoneof", '[5, "str"]', "5", False),
    ("C16", "boolean", "true", "", "foo", False),
    ("C17", "datetime", "eq", "2006-01-02", "2006-01-02", True),
    ("C18", "string", "neq", "x", None, False), ("C19", "string", "prefix", "ba", "  bar", True),
    ("C20", "string", "eq", "bar", "bar ", False), ("C21", "number", "eq", "1000", "1_000", True),
    ("C22", "number", "eq", "5", " 5", False), ("C23", "number", "notpresent", "", " ", True),
    ("C24a", "boolean", "true", "", "T", True), ("C24b", "boolean", "true", "", "1", True),
    ("C24c", "boolean", "true", "", "TRUE", True), ("C25a", "boolean", "true", "", "yes", False),
    ("C25b", "boolean", "true", "", "tRUE", False),
    ("C26", "datetime", "gt", "2006-01-02T15:04:05Z", "2006-01-02T15:04:05.5Z", True),
    ("C27", "datetime", "eq", "2006-01-02T15:04:05Z", "2006-01-02T16:04:05+01:00", True),
    ("C28", "datetime", "eq", "2006-01-02T00:00:00Z", "2006-01-02", True),
    ("C29", "datetime", "eq", "2006-01-02T15:04:05Z", "2006-01-02t15:04:05z", False),
]


@pytest.mark.parametrize("vec", C, ids=[c[0] for c in C])
def test_constraint_vectors(vec):
    _, typ, op, cval, v, expected = vec
    ctx = {} if v is None else {"p": v}
    assert refmodel.match_constraint(Constraint(typ, "p", op, cval), "e", ctx)[0] is expected


FLOATS_OK = {"1_000": 1000.0, "1_000.000_1": 1000.0001, "1e1_0": 1e10, "0x_1p0": 1.0, "1e3": 1000.0,
             ".5": 0.5, "+5": 5.0, "5.": 5.0, "Inf": math.inf, "-infinity": -math.inf,
             "1e-400": 0.0, "0x1.8p1": 3.0, "007": 7.0}
FLOATS_BAD = ["_1", "1_", "1__0", "1_.5", "1._5", "0x10", "0b101", "1,5", "1e", "e3", ".", " 5",
              "5 ", "1e400", "+nan", "infin", "\u0665", "", "-", "0x", "0xp1", "1e_5"]


def test_parse_float():
    for s, want in FLOATS_OK.items():
        assert goparse.parse_float(s) == want, s
    assert math.isnan(goparse.parse_float("NaN")) and math.isnan(goparse.parse_float("nan"))
    for s in FLOATS_BAD:
        assert goparse.parse_float(s) is None, s


def test_parse_datetime():
    base = goparse.parse_datetime("2006-01-02T15:04:05Z")
    assert goparse.parse_datetime("2006-01-02T15:04:05,5Z") == base + 500_000_000
    assert goparse.parse_datetime("2006-01-02T5:04:05Z") == base - 10 * 3600 * 10**9
    assert goparse.parse_datetime("2006-01-02T15:04:05.123456789123Z") == base + 123456789
    for bad in ["2006-01-02T15:04:05", "2006-01-02T15:04:05+0100", "2006-01-02 15:04:05Z",
                "2006-01-02t15:04:05Z", "2006-01-02T15:04:05z", "2006-01-02T24:00:00Z",
                "2006-01-02T15:04:60Z", "2006-02-30", "2006-1-02", " 2006-01-02", "2006-01-02 "]:
        assert goparse.parse_datetime(bad) is None, bad
    assert goparse.normalize_datetime_constraint("2021-01-01T10:00:00+02:00") == "2021-01-01T08:00:00Z"
    assert goparse.normalize_datetime_constraint("2021-01-01T10:00:00.9Z") == "2021-01-01T10:00:00Z"
    assert goparse.normalize_datetime_constraint("2021-01-01") == "2021-01-01"


def test_trim_space():
    assert goparse.trim_space("\u00a0\u3000 x \u2000\u200a\t") == "x"
    assert goparse.trim_space("\u200bx\ufeff") == "\u200bx\ufeff"


def test_outcomes():
    cfg = cfg_with(Segment("none", "ALL", [Constraint("string", "p", "eq", "x")]))
    flag = Flag("f", "VARIANT", False, [Variant("a", '{ "k" : 1 }')], "a",
                [Rule(1, ["all"], "OR", [])])
    res, _ = refmodel.evaluate_variant(cfg, flag, "e", {})
    assert (res["reason"], res["variantKey"], res["variantAttachment"]) == \
        ("FLAG_DISABLED_EVALUATION_REASON", "a", '{"k":1}')
    flag.enabled = True
    res, _ = refmodel.evaluate_variant(cfg, flag, "e", {})
    assert (res["match"], res["reason"], res["variantKey"]) == (True, "MATCH_EVALUATION_REASON", "a")
    flag.rules = [Rule(1, ["none", "all"], "AND", [Distribution("a", 100.0)])]
    res, _ = refmodel.evaluate_variant(cfg, flag, "e", {})
    assert (res["match"], res["reason"], res["segmentKeys"]) == (False, "DEFAULT_EVALUATION_REASON", set())
    flag.rules[0].operator = "OR"
    res, _ = refmodel.evaluate_variant(cfg, flag, "e", {})
    assert (res["match"], res["segmentKeys"]) == (True, {"all"})
