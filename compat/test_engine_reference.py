"""Reference model vs the real Rust engine (flipt-client), with no Hoist involved.

The generated configuration is served to the engine by a tiny loopback snapshot server
(snapshot.py). Outside the §8 divergence classes the engine must agree with the reference model
of the Flipt server; this validates the reference model and the divergence classifier that
test_differential.py relies on.
"""
import os
import random

import pytest

import contexts
import diffrun
import engine as engine_mod
import generator
import snapshot

SEED = int(os.environ.get("HOIST_DIFF_SEED", "20260306"))


def test_reference_model_matches_engine():
    cfg = generator.gen_config(SEED + 1, n_flags=60)
    cfg.namespace = "refcheck"
    version = engine_mod.engine_version()
    stats = diffrun.Stats(f"reference vs engine {version}, seed {SEED + 1}")
    rng = random.Random(SEED + 1)
    with snapshot.SnapshotServer({cfg.namespace: snapshot.build(cfg)}) as srv:
        eng = engine_mod.Engine(srv.url, cfg.namespace)
        try:
            assert sorted(eng.wait_for_flags(len(cfg.flags))) == sorted(f.key for f in cfg.flags)
            for flag in cfg.flags:
                for entity, ctx in contexts.gen_contexts(rng, cfg, flag, 40):
                    got = eng.evaluate(flag.type, flag.key, entity, ctx)
                    diffrun.check_case(stats, cfg, flag, entity, ctx, engine=got,
                                       engine_version=version, hoist_expected=False)
        finally:
            eng.close()
    failure = diffrun.check_or_fail(stats)
    if failure:
        pytest.fail(failure, pytrace=False)
