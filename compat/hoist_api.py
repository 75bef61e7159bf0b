"""Minimal REST client for Hoist (Flipt v1 API), plus loading a generated Config into it."""
import json

import requests

from model import TYPE_API, Config

NS = "/api/v1/namespaces"


class ApiError(AssertionError):
    def __init__(self, method, path, body, resp):
        self.status = resp.status_code
        self.text = resp.text
        super().__init__(f"{method} {path} body={json.dumps(body, ensure_ascii=False)} -> "
                         f"HTTP {resp.status_code}: {resp.text[:500]}")


class HoistAPI:
    def __init__(self, base_url: str, timeout: float = 10.0):
        self.base = base_url.rstrip("/")
        self.s = requests.Session()
        self.timeout = timeout

    def call(self, method, path, body=None, expect=200, **kw):
        resp = self.s.request(method, self.base + path, json=body, timeout=self.timeout, **kw)
        if expect is not None and resp.status_code != expect:
            raise ApiError(method, path, body, resp)
        return resp

    def json(self, method, path, body=None, **kw):
        return self.call(method, path, body, **kw).json()

    # --- evaluation -----------------------------------------------------------
    def evaluate(self, flag_type, namespace, flag_key, entity_id, context, snake=False):
        """POST /evaluate/v1/{variant|boolean}; normalised result, or {"error": (status, body)}."""
        kind = "boolean" if flag_type == "BOOLEAN" else "variant"
        if snake:
            body = {"namespace_key": namespace, "flag_key": flag_key, "entity_id": entity_id,
                    "context": context}
        else:
            body = {"namespaceKey": namespace, "flagKey": flag_key, "entityId": entity_id,
                    "context": context}
        resp = self.call("POST", f"/evaluate/v1/{kind}", body, expect=None)
        if resp.status_code != 200:
            return {"error": (resp.status_code, resp.text[:300])}
        return normalise(kind, resp.json(), flag_key)

    def batch(self, requests_):
        """requests_: list of request dicts. Returns (raw response json, status)."""
        resp = self.call("POST", "/evaluate/v1/batch", {"requests": requests_}, expect=None)
        return (resp.json() if resp.status_code == 200 else resp.text), resp.status_code

    def snapshot(self, namespace, headers=None):
        return self.call("GET", f"/internal/v1/evaluation/snapshot/namespace/{namespace}",
                         expect=None, headers=headers or {})


def normalise(kind, r, flag_key=None):
    """Reduce an /evaluate/v1 response to the compared fields; shape problems become errors."""
    missing = [k for k in ("requestId", "timestamp", "requestDurationMillis", "flagKey",
                           "reason", "segmentKeys") if k not in r]
    if missing or (flag_key is not None and r.get("flagKey") != flag_key):
        return {"error": f"bad response shape (missing {missing}, flagKey={r.get('flagKey')!r}): {r}"}
    if kind == "boolean":
        return {"enabled": r.get("enabled"), "reason": r["reason"], "segmentKeys": set(r["segmentKeys"])}
    return {"match": r.get("match"), "segmentKeys": set(r["segmentKeys"]), "reason": r["reason"],
            "variantKey": r.get("variantKey"), "variantAttachment": r.get("variantAttachment")}


def normalise_batch_item(item):
    t = item.get("type")
    if t == "VARIANT_EVALUATION_RESPONSE_TYPE" and "variantResponse" in item:
        return normalise("variant", item["variantResponse"])
    if t == "BOOLEAN_EVALUATION_RESPONSE_TYPE" and "booleanResponse" in item:
        return normalise("boolean", item["booleanResponse"])
    if t == "ERROR_EVALUATION_RESPONSE_TYPE" and "errorResponse" in item:
        return {"error": item["errorResponse"]}
    return {"error": f"bad batch item: {item}"}


# --- loading ------------------------------------------------------------------
def load_config(api: HoistAPI, cfg: Config, rng):
    """Create everything in cfg through the REST API. Returns a list of problems where a write
    response did not echo what Flipt would store (operator lower-cased, value normalised)."""
    ns = cfg.namespace
    problems = []
    api.json("POST", NS, {"key": ns, "name": f"Differential {ns}", "description": "compat"})
    for seg in cfg.segments.values():
        api.json("POST", f"{NS}/{ns}/segments", {"key": seg.key, "name": seg.key,
                                                 "matchType": f"{seg.match_type}_MATCH_TYPE"})
        for c in seg.constraints:
            body = {"type": TYPE_API[c.type], "property": c.property, "operator": c.operator,
                    "value": c.value}
            got = api.json("POST", f"{NS}/{ns}/segments/{seg.key}/constraints", body)
            c._id = got.get("id")
            if got.get("operator") != c.op or got.get("value") != c.stored_value:
                problems.append(f"constraint {body} stored as operator={got.get('operator')!r} "
                                f"value={got.get('value')!r}; expected {c.op!r} {c.stored_value!r}")
    for flag in cfg.flags:
        base = f"{NS}/{ns}/flags"
        api.json("POST", base, {"key": flag.key, "name": flag.key, "description": flag.description,
                                "enabled": flag.enabled, "type": f"{flag.type}_FLAG_TYPE"})
        vids = {}
        for v in flag.variants:
            got = api.json("POST", f"{base}/{flag.key}/variants",
                           {"key": v.key, "name": v.key, "attachment": v.attachment})
            vids[v.key] = v._id = got["id"]
            if got.get("attachment") != v.stored_attachment:
                problems.append(f"variant {flag.key}/{v.key} attachment {v.attachment!r} echoed as "
                                f"{got.get('attachment')!r}; expected {v.stored_attachment!r}")
        if flag.default_variant is not None:
            got = api.json("PUT", f"{base}/{flag.key}", {
                "name": flag.key, "description": flag.description, "enabled": flag.enabled,
                "defaultVariantId": vids[flag.default_variant]})
            if (got.get("defaultVariant") or {}).get("key") != flag.default_variant:
                problems.append(f"flag {flag.key}: defaultVariant not set: {got}")
        for rule in flag.rules:  # creation order; ranks are deliberately shuffled
            body = {"rank": rule.rank, "segmentOperator": f"{rule.operator}_SEGMENT_OPERATOR"}
            if len(rule.segment_keys) == 1 and rng.random() < 0.6:
                body["segmentKey"] = rule.segment_keys[0]
            else:  # sometimes repeat a key: Flipt de-duplicates segmentKeys (spec API §4.2)
                body["segmentKeys"] = rule.segment_keys + rule.segment_keys[:rng.random() < 0.15]
            rid = rule._id = api.json("POST", f"{base}/{flag.key}/rules", body)["id"]
            for d in rule.distributions:
                d._id = api.json("POST", f"{base}/{flag.key}/rules/{rid}/distributions",
                                 {"variantId": vids[d.variant_key], "rollout": d.rollout})["id"]
        for ro in flag.rollouts:
            if ro.kind == "threshold":
                body = {"rank": ro.rank, "threshold": {"percentage": ro.percentage, "value": ro.value}}
            else:
                seg = {"segmentOperator": f"{ro.operator}_SEGMENT_OPERATOR", "value": ro.value}
                if len(ro.segment_keys) == 1 and rng.random() < 0.6:
                    seg["segmentKey"] = ro.segment_keys[0]
                else:
                    seg["segmentKeys"] = ro.segment_keys + ro.segment_keys[:rng.random() < 0.15]
                body = {"rank": ro.rank, "segment": seg}
            ro._id = api.json("POST", f"{base}/{flag.key}/rollouts", body)["id"]
    return problems


def rules_duplicated(snapshot_doc: dict, cfg: Config) -> bool:
    """True if the snapshot repeats multi-segment rules (Flipt's quirk, spec evaluation §6.3)."""
    by_key = {f["key"]: f for f in snapshot_doc.get("flags", [])}
    for flag in cfg.flags:
        doc = by_key.get(flag.key)
        if doc is not None and len(doc.get("rules") or []) > len(flag.rules):
            return True
    return False
