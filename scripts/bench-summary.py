#!/usr/bin/env python3
"""Turns the text output of `swift package benchmark` into the Markdown table of BENCHMARKS.md:
wall-clock median and p99 per operation, mallocs per operation (median), samples.

    python3 scripts/bench-summary.py < benchmark-output.txt
"""
import re
import sys

UNITS = {"": 1, "K": 1e3, "M": 1e6, "G": 1e9, "#": 1}


def number(text, scale):
    return float(text) * scale


def fmt_time(ns):
    if ns >= 1e6:
        return f"{ns / 1e6:.1f} ms"
    if ns >= 1e3:
        return f"{ns / 1e3:.2f} µs"
    return f"{ns:.0f} ns"


lines = sys.stdin.read().splitlines()
rows = []
for i, line in enumerate(lines):
    if i + 1 < len(lines) and lines[i + 1].startswith("╒") and line.strip() and not line.startswith(("│", "╒")):
        name, cells = line.strip(), {}
        for row in lines[i + 2:i + 20]:
            if row.startswith("╘"):
                break
            if not row.startswith("│"):
                continue
            parts = [p.strip() for p in row.strip("│").split("│")]
            label = parts[0]
            unit = re.search(r"\((ns|us|μs|ms|s|K|M|G|#)\)\s*\*?$", label) or re.search(r"\((ns|us|μs|ms|s|K|M|G|#)\)", label)
            cells[label.split(" (")[0]] = (parts[1:], unit.group(1) if unit else "")
        wall, unit = cells.get("Time", (None, None)) if "Time" in cells else cells.get("Time (wall clock)", (None, None))
        for key in cells:
            if key.startswith("Time"):
                wall, unit = cells[key]
        tscale = {"ns": 1, "us": 1e3, "μs": 1e3, "ms": 1e6, "s": 1e9}.get(unit, 1)
        mallocs, munit = cells.get("Malloc", (None, ""))
        mscale = UNITS.get(munit, 1)
        rows.append((name, number(wall[2], tscale), number(wall[5], tscale),
                     number(mallocs[2], mscale) if mallocs else float("nan"), wall[7]))

print("| Benchmark | median | p99 | mallocs/op (median) | samples |")
print("|---|---:|---:|---:|---:|")
for name, p50, p99, m, samples in rows:
    print(f"| {name} | {fmt_time(p50)} | {fmt_time(p99)} | {m:.0f} | {samples} |")
