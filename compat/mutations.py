"""Seeded random mutations applied both to a loaded Config (the model) and to Hoist (REST),
following Flipt's write semantics (spec API §3.7–§3.9): re-ranking on delete, order endpoints,
PUT as full replacement (omitted defaultVariantId clears the default), variant-delete cascades.
Requires the ids that hoist_api.load_config stores on the model objects (`_id`)."""
import generator
from hoist_api import NS
from model import TYPE_API, Distribution, Rule


def _renumber(items):
    for i, x in enumerate(sorted(items, key=lambda x: x.rank)):
        x.rank = i + 1


def _seg_body(keys, op):
    return {"segmentKeys": keys, "segmentOperator": f"{op}_SEGMENT_OPERATOR"}


def mutate(api, cfg, rng, n):
    """Apply n random mutations; returns a log of what was done (for mismatch reports)."""
    ns, log = cfg.namespace, []
    for _ in range(n):
        flag = rng.choice(cfg.flags)
        fbase = f"{NS}/{ns}/flags/{flag.key}"
        what = flag.key
        kind = rng.choice(["flag", "segment", "constraint", "constraint_delete"]
                          + (["rule_order", "rule_delete", "rule_update", "rule_add", "dist_update",
                              "variant_delete"] if flag.type == "VARIANT" else
                             ["rollout_order", "rollout_delete", "rollout_update"]) * 2)
        if kind == "flag":
            flag.enabled = rng.random() < 0.5
            body = {"name": flag.key, "description": flag.description, "enabled": flag.enabled}
            if flag.default_variant is not None and rng.random() < 0.6:
                body["defaultVariantId"] = flag.variant(flag.default_variant)._id
            else:
                flag.default_variant = None  # omitted defaultVariantId clears the default
            api.json("PUT", fbase, body)
        elif kind == "segment":
            seg = cfg.segments[rng.choice(sorted(cfg.segments))]
            seg.match_type = rng.choice(["ALL", "ANY"])
            what = seg.key
            api.json("PUT", f"{NS}/{ns}/segments/{seg.key}",
                     {"name": seg.key, "matchType": f"{seg.match_type}_MATCH_TYPE"})
        elif kind in ("constraint", "constraint_delete"):
            segs = [s for s in cfg.segments.values() if s.constraints]
            if not segs:
                continue
            seg = rng.choice(segs)
            i = rng.randrange(len(seg.constraints))
            old = seg.constraints[i]
            what = seg.key
            path = f"{NS}/{ns}/segments/{seg.key}/constraints/{old._id}"
            if kind == "constraint_delete":
                del seg.constraints[i]
                api.call("DELETE", path)
            else:
                new = generator.gen_constraint(rng)
                new._id = old._id
                seg.constraints[i] = new
                api.json("PUT", path, {"type": TYPE_API[new.type], "property": new.property,
                                       "operator": new.operator, "value": new.value})
        elif kind == "rule_order" and len(flag.rules) >= 2:
            order = sorted(flag.rules, key=lambda r: r.rank)
            rng.shuffle(order)
            for i, r in enumerate(order):
                r.rank = i + 1
            api.call("PUT", f"{fbase}/rules/order", {"ruleIds": [r._id for r in order]})
        elif kind == "rule_delete" and flag.rules:
            r = rng.choice(flag.rules)
            flag.rules.remove(r)
            _renumber(flag.rules)
            api.call("DELETE", f"{fbase}/rules/{r._id}")
        elif kind == "rule_update" and flag.rules:
            r = rng.choice(flag.rules)
            r.segment_keys = rng.sample(sorted(cfg.segments), rng.choice([1, 2, 3]))
            r.operator = rng.choice(["OR", "AND"])
            api.json("PUT", f"{fbase}/rules/{r._id}", _seg_body(r.segment_keys, r.operator))
        elif kind == "rule_add" and flag.variants:
            r = Rule(len(flag.rules) + 1, rng.sample(sorted(cfg.segments), rng.choice([1, 2])),
                     rng.choice(["OR", "AND"]))
            body = dict(_seg_body(r.segment_keys, r.operator), rank=r.rank)
            r._id = api.json("POST", f"{fbase}/rules", body)["id"]
            flag.rules.append(r)
            for v in rng.sample(flag.variants, min(2, len(flag.variants))):
                d = Distribution(v.key, rng.choice([50.0, 33.3, 12.5, 0.05]))
                d._id = api.json("POST", f"{fbase}/rules/{r._id}/distributions",
                                 {"variantId": v._id, "rollout": d.rollout})["id"]
                r.distributions.append(d)
        elif kind == "dist_update":
            rules = [r for r in flag.rules if r.distributions]
            if not rules:
                continue
            r = rng.choice(rules)
            d = rng.choice(r.distributions)
            d.rollout = rng.choice([0.0, 2.3, 57.3, 33.34, 100.0, 49.99])
            api.json("PUT", f"{fbase}/rules/{r._id}/distributions/{d._id}",
                     {"variantId": flag.variant(d.variant_key)._id, "rollout": d.rollout})
        elif kind == "variant_delete" and len(flag.variants) > 1:
            v = rng.choice(flag.variants)
            flag.variants.remove(v)
            for r in flag.rules:  # distributions of the variant cascade
                r.distributions = [d for d in r.distributions if d.variant_key != v.key]
            if flag.default_variant == v.key:
                flag.default_variant = None
            api.call("DELETE", f"{fbase}/variants/{v._id}")
        elif kind == "rollout_order" and len(flag.rollouts) >= 2:
            order = sorted(flag.rollouts, key=lambda r: r.rank)
            rng.shuffle(order)
            for i, r in enumerate(order):
                r.rank = i + 1
            api.call("PUT", f"{fbase}/rollouts/order", {"rolloutIds": [r._id for r in order]})
        elif kind == "rollout_delete" and flag.rollouts:
            r = rng.choice(flag.rollouts)
            flag.rollouts.remove(r)
            _renumber(flag.rollouts)
            api.call("DELETE", f"{fbase}/rollouts/{r._id}")
        elif kind == "rollout_update" and flag.rollouts:
            r = rng.choice(flag.rollouts)
            r.value = rng.random() < 0.5
            if r.kind == "threshold":
                r.percentage = rng.choice([0.0, 12.5, 50.5, 99.99, 100.0, 66.67])
                body = {"threshold": {"percentage": r.percentage, "value": r.value}}
            else:
                r.segment_keys = rng.sample(sorted(cfg.segments), rng.choice([1, 2]))
                r.operator = rng.choice(["OR", "AND"])
                body = {"segment": dict(_seg_body(r.segment_keys, r.operator), value=r.value)}
            api.json("PUT", f"{fbase}/rollouts/{r._id}", body)
        else:
            continue
        log.append(f"{kind} {what}")
    return log
