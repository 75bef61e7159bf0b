"""Independent Python reference model of the Flipt v1.61.1 *server* evaluation.

Spec: /work/shared/spec/flipt-v1-evaluation.md §3 (algorithm) and §4 (bucketing).
Results are plain dicts shaped like the /evaluate/v1 responses, with segmentKeys as a set.
Every evaluation also returns a Trace listing what it touched, which divergence.py uses to
decide whether the Rust client engine may legitimately answer differently (spec §8).
"""
import json
import math
import zlib
from dataclasses import dataclass, field
from typing import List, Optional, Tuple

import goparse
from model import Config, Constraint, Flag, Rule, Segment


class UnknownConstraintType(Exception):
    pass


@dataclass
class Trace:
    constraints: List[Tuple[Constraint, str]] = field(default_factory=list)  # (constraint, value)
    rule: Optional[Rule] = None        # the rule that applied (variant flags)
    bucket: Optional[int] = None
    selected: Optional[int] = None     # index into the valid distributions, None = none


def crc32(s: str) -> int:
    return zlib.crc32(s.encode("utf-8")) & 0xFFFFFFFF


# --- constraints (§3.4) -------------------------------------------------------
def match_string(op: str, c: str, v: str) -> bool:
    if op == "empty":
        return goparse.trim_space(v) == ""
    if op == "notempty":
        return goparse.trim_space(v) != ""
    if v == "":
        return False
    vb, cb = v.encode(), c.encode()
    if op == "eq":
        return vb == cb
    if op == "neq":
        return vb != cb
    if op == "prefix":
        return goparse.trim_space(v).encode().startswith(cb)
    if op == "suffix":
        return goparse.trim_space(v).encode().endswith(cb)
    if op == "contains":
        return cb in vb
    if op == "notcontains":
        return cb not in vb
    if op in ("isoneof", "isnotoneof"):
        arr = _json_array(c, (str,), "")
        if arr is None:
            return False
        return (v in arr) == (op == "isoneof")
    return False


def _reject_constant(name):
    raise ValueError(name)


def _json_array(c: str, types, null_value):
    """Go json.Unmarshal(c, &[]T): null -> empty list, null elements -> zero value."""
    try:
        arr = json.loads(c, parse_constant=_reject_constant)
    except (ValueError, RecursionError):
        return None
    if arr is None:
        return []
    if not isinstance(arr, list):
        return None
    out = []
    for x in arr:
        if x is None:
            x = null_value
        if isinstance(x, bool) or not isinstance(x, types):
            return None
        if isinstance(x, (int, float)):
            x = float(x)  # may raise OverflowError for huge ints
            if math.isinf(x):
                return None  # Go: number out of range
        out.append(x)
    return out


def _json_numbers(c: str):
    try:
        return _json_array(c, (int, float), 0.0)
    except OverflowError:
        return None


def match_number(op: str, c: str, v: str) -> bool:
    if op == "present":
        return goparse.trim_space(v) != ""
    if op == "notpresent":
        return goparse.trim_space(v) == ""
    if v == "":
        return False
    n = goparse.parse_float(v)
    if n is None:
        return False
    if op in ("isoneof", "isnotoneof"):
        arr = _json_numbers(c)
        if arr is None:
            return False
        found = any(n == x for x in arr)
        return found if op == "isoneof" else not found
    cv = goparse.parse_float(c)
    if cv is None:
        return False
    return {"eq": n == cv, "neq": n != cv, "lt": n < cv, "lte": n <= cv,
            "gt": n > cv, "gte": n >= cv}.get(op, False)


def match_bool(op: str, v: str) -> bool:
    if op == "present":
        return goparse.trim_space(v) != ""
    if op == "notpresent":
        return goparse.trim_space(v) == ""
    if v == "":
        return False
    b = goparse.parse_bool(v)
    if b is None:
        return False
    return {"true": b, "false": not b}.get(op, False)


def match_datetime(op: str, c: str, v: str) -> bool:
    if op == "present":
        return goparse.trim_space(v) != ""
    if op == "notpresent":
        return goparse.trim_space(v) == ""
    if v == "":
        return False
    t, ct = goparse.parse_datetime(v), goparse.parse_datetime(c)
    if t is None or ct is None:
        return False
    return {"eq": t == ct, "neq": t != ct, "lt": t < ct, "lte": t <= ct,
            "gt": t > ct, "gte": t >= ct}.get(op, False)


def match_constraint(c: Constraint, entity_id: str, context: dict) -> Tuple[bool, str]:
    if c.type == "entityId":
        v = entity_id
        return match_string(c.op, c.stored_value, v), v
    v = context.get(c.property, "")
    if c.type == "string":
        return match_string(c.op, c.stored_value, v), v
    if c.type == "number":
        return match_number(c.op, c.stored_value, v), v
    if c.type == "boolean":
        return match_bool(c.op, v), v
    if c.type == "datetime":
        return match_datetime(c.op, c.stored_value, v), v
    raise UnknownConstraintType(c.type)


def match_segment(seg: Segment, entity_id: str, context: dict, trace: Trace) -> bool:
    results = []
    for c in seg.constraints:  # every constraint is evaluated (no short-circuit)
        ok, v = match_constraint(c, entity_id, context)
        trace.constraints.append((c, v))
        results.append(ok)
    if not seg.constraints:
        return True
    return all(results) if seg.match_type == "ALL" else any(results)


def match_segments(cfg: Config, keys, operator, entity_id, context, trace):
    matched = [k for k in keys if match_segment(cfg.segments[k], entity_id, context, trace)]
    if operator == "AND":
        applies = len(matched) == len(keys)
    else:
        applies = len(matched) > 0
    return applies, matched


# --- bucketing (§4) -----------------------------------------------------------
def widths(rollouts32: List[float]) -> List[int]:
    return [int(goparse.f32(r * 10.0)) for r in rollouts32]


def select_distribution(flag_key: str, entity_id: str, rollouts32: List[float]):
    bucket = crc32(flag_key + entity_id) % 1000
    total = 0
    for i, w in enumerate(widths(rollouts32)):
        total += w
        if total > bucket:
            return bucket, i
    return bucket, None


def threshold_hit(entity_id: str, flag_key: str, percentage32: float) -> bool:
    return float(crc32(entity_id + flag_key) % 100) < percentage32


# --- flags (§3.1, §3.2) -------------------------------------------------------
def evaluate_variant(cfg: Config, flag: Flag, entity_id: str, context: dict):
    trace = Trace()
    res = {"match": False, "segmentKeys": set(), "reason": "UNKNOWN_EVALUATION_REASON",
           "variantKey": "", "variantAttachment": ""}
    if flag.default_variant is not None:
        dv = flag.variant(flag.default_variant)
        res.update(reason="DEFAULT_EVALUATION_REASON", variantKey=dv.key,
                   variantAttachment=dv.stored_attachment)
    if not flag.enabled:
        res["reason"] = "FLAG_DISABLED_EVALUATION_REASON"
        return res, trace
    for rule in sorted(flag.rules, key=lambda r: r.rank):
        op = rule.operator if len(rule.segment_keys) > 1 else "OR"
        applies, matched = match_segments(cfg, rule.segment_keys, op, entity_id, context, trace)
        if not applies:
            continue
        trace.rule = rule
        res["segmentKeys"] = set(matched)
        valid = [d for d in rule.distributions if d.rollout32 > 0]
        if not valid:
            res.update(match=True, reason="MATCH_EVALUATION_REASON")
            return res, trace
        trace.bucket, trace.selected = select_distribution(
            flag.key, entity_id, [d.rollout32 for d in valid])
        if trace.selected is not None:
            d = valid[trace.selected]
            res.update(match=True, reason="MATCH_EVALUATION_REASON", variantKey=d.variant_key,
                       variantAttachment=flag.variant(d.variant_key).stored_attachment)
        return res, trace
    return res, trace


def evaluate_boolean(cfg: Config, flag: Flag, entity_id: str, context: dict):
    trace = Trace()
    for ro in sorted(flag.rollouts, key=lambda r: r.rank):
        if ro.kind == "threshold":
            if threshold_hit(entity_id, flag.key, ro.percentage32):
                return {"enabled": ro.value, "reason": "MATCH_EVALUATION_REASON",
                        "segmentKeys": set()}, trace
            continue
        op = ro.operator if len(ro.segment_keys) > 1 else "OR"
        applies, matched = match_segments(cfg, ro.segment_keys, op, entity_id, context, trace)
        if applies:
            return {"enabled": ro.value, "reason": "MATCH_EVALUATION_REASON",
                    "segmentKeys": set(matched)}, trace
    return {"enabled": flag.enabled, "reason": "DEFAULT_EVALUATION_REASON",
            "segmentKeys": set()}, trace


def evaluate(cfg: Config, flag: Flag, entity_id: str, context: dict):
    if flag.type == "BOOLEAN":
        return evaluate_boolean(cfg, flag, entity_id, context)
    return evaluate_variant(cfg, flag, entity_id, context)


def is_nan(x) -> bool:
    return isinstance(x, float) and math.isnan(x)
