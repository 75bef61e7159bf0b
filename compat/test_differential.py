"""Differential test: Hoist (REST) vs the Rust client engine (flipt-client) vs a Python reference
model of the Flipt v1.61.1 server, on seeded random configurations and contexts.

Every case: Hoist must equal the reference model. Cases that touch none of the documented
server-vs-engine divergence classes (spec evaluation §8, see divergence.py) must also equal the
engine, which evaluates Hoist's own snapshot. Environment:
  HOIST_DIFF_SEED      seed (default 20260306)
  HOIST_DIFF_FLAGS     number of flags (default 60)
  HOIST_DIFF_CONTEXTS  contexts per flag (default 50)
  HOIST_DIFF_MUTATIONS random API mutations before the second round (default 80)
  HOIST_DIFF_BUDGET_S  wall-clock budget for the evaluation loop (default 150)
"""
import os
import random
import time

import pytest

import contexts
import diffrun
import engine as engine_mod
import generator
import hoist_api
import mutations

SEED = int(os.environ.get("HOIST_DIFF_SEED", "20260306"))
N_FLAGS = int(os.environ.get("HOIST_DIFF_FLAGS", "60"))
N_CONTEXTS = int(os.environ.get("HOIST_DIFF_CONTEXTS", "50"))
BUDGET_S = float(os.environ.get("HOIST_DIFF_BUDGET_S", "150"))
N_MUTATIONS = int(os.environ.get("HOIST_DIFF_MUTATIONS", "80"))
BATCH_EVERY = 5      # every 5th case goes through /evaluate/v1/batch
BATCH_SIZE = 20


@pytest.fixture(scope="module")
def loaded(hoist_url):
    cfg = generator.gen_config(SEED, n_flags=N_FLAGS)
    api = hoist_api.HoistAPI(hoist_url)
    problems = hoist_api.load_config(api, cfg, random.Random(SEED))
    snap = api.snapshot(cfg.namespace)
    assert snap.status_code == 200, f"snapshot: HTTP {snap.status_code} {snap.text[:300]}"
    dup = hoist_api.rules_duplicated(snap.json(), cfg)
    eng = engine_mod.Engine(hoist_url, cfg.namespace)
    eng.wait_for_flags(len(cfg.flags))
    try:
        yield cfg, api, eng, problems, dup
    finally:
        eng.close()


def test_store_echo(loaded):
    """Write responses echo what Flipt stores (lower-cased operators, UTC datetimes, compact JSON)."""
    problems = loaded[3]
    assert not problems, "\n".join(problems[:30])


def test_engine_reads_hoist_snapshot(loaded):
    cfg, _, eng, _, _ = loaded
    assert sorted(eng.flag_keys()) == sorted(f.key for f in cfg.flags)


def _flush_batch(api, cfg, eng, version, dup, stats, queue):
    reqs = [{"namespaceKey": cfg.namespace, "flagKey": f.key, "entityId": e, "context": c,
             "requestId": f"r{i}"} for i, (f, e, c) in enumerate(queue)]
    missing = {"flagKey": "no_such_flag", "entityId": "x", "context": {}}  # namespaceKey omitted
    reqs.insert(len(reqs) // 2, missing)
    body, status = api.batch(reqs)
    if status != 200:
        results = [{"error": (status, str(body)[:300])}] * len(queue)
    else:
        items = body.get("responses", [])
        if len(items) != len(reqs):
            results = [{"error": f"batch returned {len(items)} responses for {len(reqs)}"}] * len(queue)
        else:
            err = hoist_api.normalise_batch_item(items.pop(len(reqs) // 2))
            want = {"flagKey": "no_such_flag", "namespaceKey": "",
                    "reason": "NOT_FOUND_ERROR_EVALUATION_REASON"}
            if err != {"error": want}:
                stats.mismatch_count += 1
                stats.mismatches.append(f"MISMATCH batch not-found element: got {err}, want {want}")
            results = [hoist_api.normalise_batch_item(x) for x in items]
    for (flag, entity, ctx), got in zip(queue, results):
        diffrun.check_case(stats, cfg, flag, entity, ctx, hoist=got, via="batch",
                           engine=eng.evaluate(flag.type, flag.key, entity, ctx),
                           engine_version=version, duplicated=dup)
    queue.clear()


def _run(cfg, api, eng, dup, stats, rng, n_contexts, deadline):
    """Evaluate n_contexts per flag through Hoist (single, snake_case, batch) and the engine."""
    version = engine_mod.engine_version()
    queue, n = [], 0
    for flag in cfg.flags:
        if time.monotonic() > deadline:
            diffrun.SUMMARIES.append(f"WARNING: [{stats.name}] stopped early: time budget spent")
            break
        for entity, ctx in contexts.gen_contexts(rng, cfg, flag, n_contexts):
            n += 1
            if n % BATCH_EVERY == 0:
                queue.append((flag, entity, ctx))
                if len(queue) >= BATCH_SIZE:
                    _flush_batch(api, cfg, eng, version, dup, stats, queue)
                continue
            snake = n % 11 == 0  # some requests use the proto (snake_case) field names
            got = api.evaluate(flag.type, cfg.namespace, flag.key, entity, ctx, snake=snake)
            diffrun.check_case(stats, cfg, flag, entity, ctx, hoist=got,
                               engine=eng.evaluate(flag.type, flag.key, entity, ctx),
                               engine_version=version, duplicated=dup,
                               via="single-snake" if snake else "single")
        # an empty entityId is legal over REST (hashed as-is); the client SDK refuses it
        got = api.evaluate(flag.type, cfg.namespace, flag.key, "", {})
        diffrun.check_case(stats, cfg, flag, "", {}, hoist=got, via="empty-entity",
                           engine_version=version, duplicated=dup)
    if queue:
        _flush_batch(api, cfg, eng, version, dup, stats, queue)


def _finish(stats):
    failure = diffrun.check_or_fail(stats)
    assert stats.total > 0
    if failure:
        pytest.fail(failure, pytrace=False)


def test_differential(loaded):
    cfg, api, eng, _, dup = loaded
    stats = diffrun.Stats(f"differential seed={SEED} engine={engine_mod.engine_version()} "
                          f"duplicated_rules={dup}")
    _run(cfg, api, eng, dup, stats, random.Random(SEED + 7), N_CONTEXTS,
         time.monotonic() + BUDGET_S)
    _finish(stats)


def test_differential_after_mutations(loaded, hoist_url):
    """Random updates/deletes/re-orders through the API, then a fresh engine and more cases."""
    cfg, api, _, _, _ = loaded
    etag = api.snapshot(cfg.namespace).headers.get("etag")
    log = mutations.mutate(api, cfg, random.Random(SEED + 13), N_MUTATIONS)
    snap = api.snapshot(cfg.namespace, {"If-None-Match": etag or ""})
    assert snap.status_code == 200, "snapshot ETag did not change after writes"
    dup = hoist_api.rules_duplicated(snap.json(), cfg)
    eng = engine_mod.Engine(hoist_url, cfg.namespace)
    try:
        eng.wait_for_flags(len(cfg.flags))
        stats = diffrun.Stats(f"differential after {len(log)} mutations seed={SEED}")
        _run(cfg, api, eng, dup, stats, random.Random(SEED + 17), max(5, N_CONTEXTS // 3),
             time.monotonic() + BUDGET_S / 2)
    finally:
        eng.close()
    if stats.mismatch_count:
        stats.mismatches.insert(0, "mutations applied: " + "; ".join(log))
    _finish(stats)


def test_legacy_evaluate(loaded):
    """Deprecated POST /api/v1/namespaces/{ns}/evaluate shares the evaluator (spec §2.5)."""
    cfg, api, _, _, _ = loaded
    rng = random.Random(SEED + 11)
    stats = diffrun.Stats(f"legacy /api/v1/evaluate seed={SEED}")
    for flag in [f for f in cfg.flags if f.type == "VARIANT"][:15]:
        for entity, ctx in contexts.gen_contexts(rng, cfg, flag, 6):
            body = {"flagKey": flag.key, "entityId": entity, "context": ctx}
            r = api.call("POST", f"{hoist_api.NS}/{cfg.namespace}/evaluate", body, expect=None)
            if r.status_code != 200:
                got = {"error": (r.status_code, r.text[:300])}
            else:
                j = r.json()
                got = {"match": j.get("match"), "segmentKeys": set(j.get("segmentKeys", [])),
                       "reason": j.get("reason"), "variantKey": j.get("value"),
                       "variantAttachment": j.get("attachment")}
                if j.get("entityId") != entity or j.get("flagKey") != flag.key or \
                        j.get("requestContext", {}) != ctx:
                    got["echo"] = {k: j.get(k) for k in ("entityId", "flagKey", "requestContext")}
            diffrun.check_case(stats, cfg, flag, entity, ctx, hoist=got, via="legacy")
    failure = diffrun.check_or_fail(stats)
    if failure:
        pytest.fail(failure, pytrace=False)
