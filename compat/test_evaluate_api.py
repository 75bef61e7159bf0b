"""/evaluate/v1 request decoding, echo fields and error paths (spec evaluation §2.1–§2.4)."""
import random

import pytest

import hoist_api
import refmodel
from model import Config, Constraint, Distribution, Flag, Rollout, Rule, Segment, Variant

NS = "api-compat"


def api_config() -> Config:
    segs = {"pro": Segment("pro", "ALL", [Constraint("string", "plan", "eq", "pro")]),
            "noplan": Segment("noplan", "ALL", [Constraint("string", "plan", "empty", "")])}
    flags = [Flag("v", "VARIANT", True, [Variant("a", '{"n": 1}'), Variant("b")], "b",
                  rules=[Rule(1, ["pro"], "OR", [Distribution("a", 100.0)]),
                         Rule(2, ["noplan"], "OR", [Distribution("a", 50.0), Distribution("b", 50.0)])]),
             Flag("b", "BOOLEAN", True, rollouts=[Rollout(1, "segment", False, segment_keys=["noplan"])])]
    return Config(NS, segs, flags)


@pytest.fixture(scope="module")
def api(hoist_url):
    a = hoist_api.HoistAPI(hoist_url)
    cfg = api_config()
    assert not hoist_api.load_config(a, cfg, random.Random(3))
    return a, cfg


def _post(api, kind, body):
    r = api.call("POST", f"/evaluate/v1/{kind}", body, expect=None)
    return r.status_code, (r.json() if r.headers.get("content-type", "").startswith("application/json")
                           else r.text)


def test_errors(api):
    a, cfg = api
    cases = [
        ("variant", {"namespaceKey": NS, "flagKey": "nope", "entityId": "e"}, 404, 5,
         f'flag "{NS}/nope" not found'),
        ("boolean", {"namespaceKey": NS, "flagKey": "nope", "entityId": "e"}, 404, 5,
         f'flag "{NS}/nope" not found'),
        ("variant", {"flagKey": "nope", "entityId": "e"}, 404, 5, 'flag "default/nope" not found'),
        ("variant", {"namespaceKey": NS, "flagKey": "b", "entityId": "e"}, 400, 3,
         "flag type BOOLEAN_FLAG_TYPE invalid"),
        ("boolean", {"namespaceKey": NS, "flagKey": "v", "entityId": "e"}, 400, 3,
         "flag type VARIANT_FLAG_TYPE invalid"),
        ("variant", {"namespaceKey": NS, "flagKey": "v", "entityId": "e", "context": {"n": 5}},
         400, 3, "invalid values for key(s) in json body"),
        ("boolean", {"namespaceKey": NS, "flagKey": "b", "entityId": "e", "context": {"x": True}},
         400, 3, "invalid values for key(s) in json body"),
    ]
    bad = []
    for kind, body, status, code, message in cases:
        got_status, j = _post(a, kind, body)
        if got_status != status or not isinstance(j, dict) or j.get("code") != code or \
                j.get("message") != message or j.get("details") != []:
            bad.append(f"POST /evaluate/v1/{kind} {body}: want {status} code={code} {message!r}, "
                       f"got {got_status} {j}")
    assert not bad, "\n".join(bad)


def test_lenient_decoding(api):
    """snake_case names, unknown fields, top-level nulls, null context values (read as "")."""
    a, cfg = api
    want = refmodel.evaluate(cfg, cfg.flag("v"), "user-9", {"plan": ""})[0]
    bodies = [
        {"namespace_key": NS, "flag_key": "v", "entity_id": "user-9", "context": {"plan": None}},
        {"namespaceKey": NS, "flagKey": "v", "entityId": "user-9", "context": None,
         "requestId": None, "reference": None, "unknown": {"x": [1]}},
        {"namespaceKey": NS, "flagKey": "v", "entityId": "user-9"},
    ]
    for body in bodies:
        status, j = _post(a, "variant", body)
        assert status == 200, (body, j)
        assert hoist_api.normalise("variant", j, "v") == want, body


def test_echo_fields(api):
    a, cfg = api
    status, j = _post(a, "variant", {"requestId": "req-1", "namespaceKey": NS, "flagKey": "v",
                                     "entityId": "e", "context": {"plan": "pro"}})
    assert status == 200 and j["requestId"] == "req-1" and j["flagKey"] == "v"
    assert isinstance(j["requestDurationMillis"], (int, float))
    assert j["timestamp"].endswith("Z")
    status, b = _post(a, "boolean", {"namespaceKey": NS, "flagKey": "b", "entityId": "e"})
    assert status == 200 and len(b["requestId"]) == 36  # generated UUID when none is given
    assert (b["enabled"], b["reason"], b["segmentKeys"]) == (False, "MATCH_EVALUATION_REASON", ["noplan"])
    assert j["variantAttachment"] == '{"n":1}'  # the SQL store compacts attachments


def test_batch_shapes(api):
    a, cfg = api
    reqs = [{"requestId": "1", "namespaceKey": NS, "flagKey": "b", "entityId": "e"},
            {"flagKey": "ghost", "entityId": "e"},
            {"namespaceKey": NS, "flagKey": "v", "entityId": "e", "context": {"plan": "pro"}},
            {"namespaceKey": "default", "flagKey": "ghost2", "entityId": "e"}]
    r = a.call("POST", "/evaluate/v1/batch", {"requestId": "batch-1", "requests": reqs})
    j = r.json()
    assert j["requestId"] == "batch-1" and isinstance(j["requestDurationMillis"], (int, float))
    types = [x["type"] for x in j["responses"]]
    assert types == ["BOOLEAN_EVALUATION_RESPONSE_TYPE", "ERROR_EVALUATION_RESPONSE_TYPE",
                     "VARIANT_EVALUATION_RESPONSE_TYPE", "ERROR_EVALUATION_RESPONSE_TYPE"]
    first, missing, variant, missing2 = j["responses"]
    assert set(first) == {"type", "booleanResponse"} and first["booleanResponse"]["requestId"] == "1"
    assert missing["errorResponse"] == {"flagKey": "ghost", "namespaceKey": "",
                                        "reason": "NOT_FOUND_ERROR_EVALUATION_REASON"}
    assert missing2["errorResponse"]["namespaceKey"] == "default"
    v = variant["variantResponse"]
    assert (v["match"], v["variantKey"], v["requestId"]) == (True, "a", "")
    assert first["booleanResponse"]["timestamp"] == v["timestamp"]


def test_batch_fails_whole_on_wrong_input(api):
    a, _ = api
    r = a.call("POST", "/evaluate/v1/batch", {"requests": [
        {"namespaceKey": NS, "flagKey": "v", "entityId": "e", "context": {"n": 1}}]}, expect=None)
    assert r.status_code == 400 and r.json()["code"] == 3
