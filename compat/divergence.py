"""Classify a case by the server-vs-engine divergence classes it touched (spec evaluation §8).

A case whose trace touches no class must give identical answers from the Flipt server (and so
from Hoist) and from the Rust client engine. A case that touches a class is only checked against
the reference model of the server. Classes (tags):

  8.2-buckets   variant bucket boundaries differ by engine version (or by rule duplication)
  8.3-trim      empty/notempty/present/notpresent/prefix/suffix on a value with outer spaces
  8.3-escape    string isoneof/isnotoneof whose JSON array contains escape sequences
  8.3-number    a number the server parses (Go ParseFloat) that is not a Rust i32
  8.3-bool      a Go ParseBool spelling other than exactly true/false
  8.3-datetime  date-only, sub-second, or other non-canonical RFC 3339 text
  x-bool-disabled  NOT in the spec, found by test_engine_reference.py: engines 0.21.x (not
                0.19.2) answer reason FLAG_DISABLED for a disabled boolean flag that has no
                rollouts at all, where the server answers DEFAULT (enabled=false either way)
"""
import json
import re

import goparse
import refmodel

TRIM_OPS = {"empty", "notempty", "present", "notpresent", "prefix", "suffix"}
_I32 = re.compile(r"[+-]?[0-9]+\Z")
_CANON_DT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(Z|[+-][0-9]{2}:[0-9]{2})\Z")
_DT_ISH = re.compile(r"\s*[0-9]{1,4}-[0-9]{1,2}-[0-9]{1,2}")


def is_i32(s: str) -> bool:
    return bool(_I32.match(s)) and -2**31 <= int(s) <= 2**31 - 1


def _number_tag(c, v) -> bool:
    if v == "" or goparse.parse_float(v) is None:
        return False  # both sides fail to parse the context value
    if not is_i32(v):
        return True
    if c.op in ("isoneof", "isnotoneof"):
        try:
            arr = json.loads(c.stored_value)
        except ValueError:
            return False
        if not isinstance(arr, list):
            return False
        return not all(isinstance(x, int) and not isinstance(x, bool) and -2**31 <= x < 2**31
                       for x in arr)
    return goparse.parse_float(c.stored_value) is not None and not is_i32(c.stored_value)


def _datetime_text_tag(s: str) -> bool:
    if s == "" or not _DT_ISH.match(s):
        return False
    return not (_CANON_DT.match(s) and goparse.parse_rfc3339(s) is not None)


def constraint_tags(c, v: str) -> set:
    tags = set()
    op = c.op
    if op in TRIM_OPS and v != goparse.trim_space(v):
        tags.add("8.3-trim")
    if c.type in ("string", "entityId") and op in ("isoneof", "isnotoneof") and "\\" in c.stored_value:
        tags.add("8.3-escape")
    if c.type == "number" and op not in ("present", "notpresent") and _number_tag(c, v):
        tags.add("8.3-number")
    if c.type == "boolean" and op in ("true", "false") and \
            goparse.parse_bool(v) is not None and v not in ("true", "false"):
        tags.add("8.3-bool")
    if c.type == "datetime" and op not in ("present", "notpresent") and v != "":
        if _datetime_text_tag(v) or _datetime_text_tag(c.stored_value):
            tags.add("8.3-datetime")
    return tags


def _bucket_tag(flag, trace, engine_version, duplicated: bool) -> bool:
    rule = trace.rule
    if rule is None:
        return False
    valid = [d.rollout32 for d in rule.distributions if d.rollout32 > 0]
    if not valid:
        return False
    if duplicated and len(rule.segment_keys) > 1:
        return True
    if engine_version is None or engine_version >= (0, 20, 0):
        exact = all(goparse.f32(r * 10.0) == int(goparse.f32(r * 10.0)) for r in valid)
        return not (exact and sum(refmodel.widths(valid)) == 1000)
    return False


def classify(flag, trace, engine_version, duplicated_rules: bool = False) -> set:
    """Tags for one evaluated case. engine_version: tuple like (0, 19, 2) or None (unknown)."""
    tags = set()
    for c, v in trace.constraints:
        tags |= constraint_tags(c, v)
    if flag.type == "VARIANT" and _bucket_tag(flag, trace, engine_version, duplicated_rules):
        tags.add("8.2-buckets")
    if flag.type == "BOOLEAN" and not flag.enabled and not flag.rollouts and \
            (engine_version is None or engine_version > (0, 19, 2)):
        tags.add("x-bool-disabled")
    return tags
