"""Shared bookkeeping for the differential tests: compare Hoist, the reference model and the
Rust engine for one case, count, and format mismatch reports."""
import os
from collections import Counter
from dataclasses import dataclass, field
from typing import List, Optional

import divergence
import refmodel
from model import Config, Flag, describe_flag

SUMMARIES: List[str] = []  # printed by conftest.pytest_terminal_summary
MAX_REPORTS = int(os.environ.get("HOIST_DIFF_MAX_REPORTS", "25"))


@dataclass
class Stats:
    name: str
    total: int = 0
    engine_compared: int = 0
    divergent: int = 0                     # checked against the reference only
    engine_differed_in_class: int = 0      # informational: divergence actually observed
    by_tag: Counter = field(default_factory=Counter)
    by_via: Counter = field(default_factory=Counter)
    by_outcome: Counter = field(default_factory=Counter)  # reference outcomes, for coverage
    mismatches: List[str] = field(default_factory=list)
    mismatch_count: int = 0

    def summary(self) -> str:
        tags = ", ".join(f"{k}={v}" for k, v in sorted(self.by_tag.items())) or "none"
        via = ", ".join(f"{k}={v}" for k, v in sorted(self.by_via.items()))
        outcomes = ", ".join(f"{k}={v}" for k, v in sorted(self.by_outcome.items()))
        return (f"[{self.name}] cases={self.total} ({via}); compared with engine="
                f"{self.engine_compared}; divergence-class cases checked against reference="
                f"{self.divergent} (engine actually differed in {self.engine_differed_in_class}; "
                f"tags: {tags}); mismatches={self.mismatch_count}\n    outcomes: {outcomes}")

    def report(self) -> str:
        out = [self.summary()] + self.mismatches[:MAX_REPORTS]
        if self.mismatch_count > MAX_REPORTS:
            out.append(f"... {self.mismatch_count - MAX_REPORTS} more mismatches not shown")
        return "\n\n".join(out)


def fmt(res) -> str:
    if res is None:
        return "-"
    if isinstance(res, dict) and "segmentKeys" in res:
        res = dict(res, segmentKeys=sorted(res["segmentKeys"]))
    return repr(res)


def check_case(stats: Stats, cfg: Config, flag: Flag, entity: str, ctx: dict, *,
               hoist=None, engine=None, engine_version=None, duplicated=False,
               via="single", hoist_expected=True) -> bool:
    """hoist/engine: normalised results (or {"error": ...}); None = not asked.
    Returns True when the case is consistent."""
    ref, trace = refmodel.evaluate(cfg, flag, entity, ctx)
    tags = divergence.classify(flag, trace, engine_version, duplicated)
    stats.total += 1
    stats.by_via[via] += 1
    outcome = ref["reason"].replace("_EVALUATION_REASON", "")
    if "enabled" in ref:
        outcome = f"bool:{outcome}:{ref['enabled']}"
    else:
        outcome = f"variant:{outcome}:{'match' if ref['match'] else 'nomatch'}"
    stats.by_outcome[outcome] += 1
    problems = []
    if hoist_expected and hoist != ref:
        problems.append("Hoist != reference model (Flipt server semantics)")
    if engine is not None:
        if not tags:
            stats.engine_compared += 1
            if hoist_expected and engine != hoist:
                problems.append("Hoist != flipt-client engine (no divergence class touched)")
            if engine != ref:
                problems.append("engine != reference model (no divergence class touched)")
        else:
            stats.divergent += 1
            stats.by_tag.update(tags)
            stats.engine_differed_in_class += engine != ref
    elif tags:
        stats.divergent += 1
        stats.by_tag.update(tags)
    if not problems:
        return True
    stats.mismatch_count += 1
    if len(stats.mismatches) < MAX_REPORTS:
        stats.mismatches.append("\n".join([
            f"MISMATCH ({'; '.join(problems)}) via={via} tags={sorted(tags) or 'none'}",
            describe_flag(cfg, flag),
            f"  entityId={entity!r} context={ctx!r}",
            f"  bucket={trace.bucket} selected={trace.selected}",
            f"  reference: {fmt(ref)}",
            f"  hoist:     {fmt(hoist)}",
            f"  engine:    {fmt(engine)}"]))
    return False


def record(stats: Stats) -> None:
    SUMMARIES.append(stats.summary())


def check_or_fail(stats: Stats) -> Optional[str]:
    record(stats)
    return None if stats.mismatch_count == 0 else stats.report()
