"""Flag-configuration data model shared by the generator, the loader and the reference model."""
from dataclasses import dataclass, field
from typing import Dict, List, Optional

import goparse

TYPE_API = {  # management API enum names
    "string": "STRING_COMPARISON_TYPE",
    "number": "NUMBER_COMPARISON_TYPE",
    "boolean": "BOOLEAN_COMPARISON_TYPE",
    "datetime": "DATETIME_COMPARISON_TYPE",
    "entityId": "ENTITY_ID_COMPARISON_TYPE",
}
TYPE_SNAPSHOT = {  # snapshot enum names (spec evaluation §6.3)
    "string": "STRING_CONSTRAINT_COMPARISON_TYPE",
    "number": "NUMBER_CONSTRAINT_COMPARISON_TYPE",
    "boolean": "BOOLEAN_CONSTRAINT_COMPARISON_TYPE",
    "datetime": "DATETIME_CONSTRAINT_COMPARISON_TYPE",
    "entityId": "ENTITY_ID_CONSTRAINT_COMPARISON_TYPE",
}
NO_VALUE_OPS = {"true", "false", "empty", "notempty", "present", "notpresent"}
OPERATORS = {  # write-time valid operators per type (spec evaluation §1.1)
    "string": ["eq", "neq", "empty", "notempty", "prefix", "suffix", "isoneof", "isnotoneof",
               "contains", "notcontains"],
    "number": ["eq", "neq", "lt", "lte", "gt", "gte", "present", "notpresent", "isoneof",
               "isnotoneof"],
    "boolean": ["true", "false", "present", "notpresent"],
    "datetime": ["eq", "neq", "lt", "lte", "gt", "gte", "present", "notpresent"],
    "entityId": ["eq", "neq", "isoneof", "isnotoneof", "contains", "notcontains"],
}


@dataclass
class Constraint:
    type: str          # key of TYPE_API
    property: str
    operator: str      # as sent (may be upper-case; the store lower-cases it)
    value: str         # as sent

    @property
    def op(self) -> str:
        return self.operator.lower()

    @property
    def stored_value(self) -> str:
        """The value after the SQL store's write-time normalisation."""
        if self.op in NO_VALUE_OPS:
            return ""
        if self.type == "datetime":
            return goparse.normalize_datetime_constraint(self.value)
        return self.value


@dataclass
class Segment:
    key: str
    match_type: str    # "ALL" | "ANY"
    constraints: List[Constraint] = field(default_factory=list)


@dataclass
class Variant:
    key: str
    attachment: str = ""   # as sent

    @property
    def stored_attachment(self) -> str:
        return goparse.json_compact(self.attachment)


@dataclass
class Distribution:
    variant_key: str
    rollout: float      # sent as a JSON number (repr of this float)

    @property
    def rollout32(self) -> float:
        return goparse.f32_from_decimal(repr(self.rollout))


@dataclass
class Rule:
    rank: int
    segment_keys: List[str]
    operator: str = "OR"   # "OR" | "AND"; forced OR for one segment
    distributions: List[Distribution] = field(default_factory=list)


@dataclass
class Rollout:
    rank: int
    kind: str              # "threshold" | "segment"
    value: bool
    percentage: float = 0.0
    segment_keys: List[str] = field(default_factory=list)
    operator: str = "OR"

    @property
    def percentage32(self) -> float:
        return goparse.f32_from_decimal(repr(self.percentage))


@dataclass
class Flag:
    key: str
    type: str              # "VARIANT" | "BOOLEAN"
    enabled: bool
    variants: List[Variant] = field(default_factory=list)
    default_variant: Optional[str] = None
    rules: List[Rule] = field(default_factory=list)        # creation order
    rollouts: List[Rollout] = field(default_factory=list)  # creation order
    description: str = ""

    def variant(self, key: str) -> Variant:
        return next(v for v in self.variants if v.key == key)


@dataclass
class Config:
    namespace: str
    segments: Dict[str, Segment] = field(default_factory=dict)
    flags: List[Flag] = field(default_factory=list)

    def flag(self, key: str) -> Flag:
        return next(f for f in self.flags if f.key == key)


def describe_flag(cfg: Config, flag: Flag) -> str:
    """Human-readable dump of a flag and the segments it uses (for mismatch reports)."""
    lines = [f"flag {cfg.namespace}/{flag.key} type={flag.type} enabled={flag.enabled} "
             f"default={flag.default_variant}"]
    for v in flag.variants:
        lines.append(f"  variant {v.key!r} attachment={v.attachment!r}")
    seg_keys = []
    for r in sorted(flag.rules, key=lambda r: r.rank):
        d = ", ".join(f"{x.variant_key}:{x.rollout!r}" for x in r.distributions)
        lines.append(f"  rule rank={r.rank} {r.operator} {r.segment_keys} dist=[{d}]")
        seg_keys += r.segment_keys
    for r in sorted(flag.rollouts, key=lambda r: r.rank):
        if r.kind == "threshold":
            lines.append(f"  rollout rank={r.rank} threshold {r.percentage!r} -> {r.value}")
        else:
            lines.append(f"  rollout rank={r.rank} segment {r.operator} {r.segment_keys} -> {r.value}")
            seg_keys += r.segment_keys
    for k in dict.fromkeys(seg_keys):
        s = cfg.segments[k]
        lines.append(f"  segment {k} {s.match_type}")
        for c in s.constraints:
            lines.append(f"    {c.type} {c.property!r} {c.operator} {c.value!r}"
                         f" (stored {c.stored_value!r})")
    return "\n".join(lines)
