"""OpenFeature's Python SDK against a running Hoist, through Hoist's OFREP endpoints (spec
evaluation §7), with both official providers: `openfeature-provider-ofrep` (namespace chosen with
the `X-Flipt-Namespace` header) and `openfeature-provider-flipt` (a namespace argument).

Expected values come from the reference model (refmodel.py), mapped to OFREP's reasons.
"""
import random

import pytest
import requests
from openfeature import api as openfeature
from openfeature.contrib.provider.flipt import FliptProvider
from openfeature.contrib.provider.ofrep import OFREPProvider
from openfeature.evaluation_context import EvaluationContext
from openfeature.exception import ErrorCode
from openfeature.flag_evaluation import Reason

import hoist_api
import refmodel
from model import Config, Constraint, Distribution, Flag, Rollout, Rule, Segment, Variant

NS = "openfeature-compat"
OFREP_REASON = {"MATCH_EVALUATION_REASON": Reason.TARGETING_MATCH, "DEFAULT_EVALUATION_REASON": Reason.DEFAULT,
                "FLAG_DISABLED_EVALUATION_REASON": Reason.DISABLED, "UNKNOWN_EVALUATION_REASON": Reason.UNKNOWN}


def of_config() -> Config:
    segs = {"pro": Segment("pro", "ALL", [Constraint("string", "plan", "eq", "pro")]),
            "everyone": Segment("everyone", "ALL")}
    flags = [
        Flag("checkout", "VARIANT", True, [Variant("blue", '{"color": "#00f"}'), Variant("red")], "red",
             rules=[Rule(1, ["pro"], "OR", [Distribution("blue", 100)])]),
        Flag("split", "VARIANT", True, [Variant("a"), Variant("b")],
             rules=[Rule(1, ["everyone"], "OR", [Distribution("a", 50), Distribution("b", 50)])]),
        Flag("new-ui", "BOOLEAN", False, rollouts=[Rollout(1, "segment", True, segment_keys=["pro"]),
                                                    Rollout(2, "threshold", True, percentage=30)]),
        Flag("off", "VARIANT", False, [Variant("a")]),
    ]
    return Config(NS, segs, flags)


@pytest.fixture(scope="module")
def clients(hoist_url):
    cfg = of_config()
    problems = hoist_api.load_config(hoist_api.HoistAPI(hoist_url), cfg, random.Random(3))
    assert not problems, problems
    openfeature.set_provider(OFREPProvider(hoist_url, headers_factory=lambda: {"X-Flipt-Namespace": NS},
                                           timeout=10), "ofrep")
    openfeature.set_provider(FliptProvider(hoist_url, NS, timeout=10), "flipt")
    yield cfg, {"ofrep": openfeature.get_client("ofrep"), "flipt": openfeature.get_client("flipt")}
    openfeature.clear_providers()


PROVIDERS = ["ofrep", "flipt"]
USERS = [("user-1", {"plan": "pro"}), ("user-2", {"plan": "free"}), ("user-286", {}), ("user@flipt.io", {})]


def expected(cfg, key, entity, ctx):
    return refmodel.evaluate(cfg, cfg.flag(key), entity, ctx)[0]


@pytest.mark.parametrize("provider", PROVIDERS)
@pytest.mark.parametrize("entity,ctx", USERS)
def test_string_details(clients, provider, entity, ctx):
    cfg, by_name = clients
    client = by_name[provider]
    for key in ("checkout", "split", "off"):
        d = client.get_string_details(key, "fallback", EvaluationContext(entity, ctx))
        want = expected(cfg, key, entity, ctx)
        assert d.error_code is None, d.error_message
        assert (d.value, d.variant, d.reason) == (want["variantKey"], want["variantKey"], OFREP_REASON[want["reason"]])
        metadata = {}
        if want["segmentKeys"]:
            metadata["segments"] = ",".join(sorted(want["segmentKeys"]))
        if want["variantAttachment"]:
            metadata["attachment"] = want["variantAttachment"]
        assert dict(d.flag_metadata) == metadata


@pytest.mark.parametrize("provider", PROVIDERS)
@pytest.mark.parametrize("entity,ctx", USERS)
def test_boolean_details(clients, provider, entity, ctx):
    cfg, by_name = clients
    d = by_name[provider].get_boolean_details("new-ui", False, EvaluationContext(entity, ctx))
    want = expected(cfg, "new-ui", entity, ctx)
    assert d.error_code is None, d.error_message
    assert (d.value, d.variant, d.reason) == (want["enabled"], str(want["enabled"]).lower(),
                                              OFREP_REASON[want["reason"]])
    assert dict(d.flag_metadata) == {}


@pytest.mark.parametrize("provider", PROVIDERS)
def test_flag_not_found(clients, provider):
    _, by_name = clients
    client = by_name[provider]
    d = client.get_string_details("idontexist", "fallback", EvaluationContext("user-1", {}))
    assert (d.value, d.reason, d.error_code) == ("fallback", Reason.ERROR, ErrorCode.FLAG_NOT_FOUND)
    assert d.error_message == "flag was not found idontexist"
    b = client.get_boolean_details("idontexist", True, EvaluationContext("user-1", {}))
    assert (b.value, b.error_code) == (True, ErrorCode.FLAG_NOT_FOUND)


@pytest.mark.parametrize("provider", PROVIDERS)
def test_errors_reach_the_sdk(clients, provider):
    _, by_name = clients
    client = by_name[provider]
    # A boolean asked of a variant flag: the provider sees a string value.
    d = client.get_boolean_details("checkout", False, EvaluationContext("user-1", {"plan": "pro"}))
    assert (d.value, d.error_code) == (False, ErrorCode.TYPE_MISMATCH)
    # Flipt's contexts are string maps: a number is rejected as Flipt rejects it.
    d = client.get_string_details("checkout", "fallback", EvaluationContext("user-1", {"age": 30}))
    assert (d.value, d.error_code) == ("fallback", ErrorCode.INVALID_CONTEXT)


def test_missing_targeting_key_is_stable(clients):
    """Hoist evaluates without a targetingKey as entity "" (Flipt draws a random id)."""
    cfg, by_name = clients
    want = expected(cfg, "split", "", {})
    for name in PROVIDERS:
        values = {by_name[name].get_string_value("split", "fallback", EvaluationContext(None, {}))
                  for _ in range(5)}
        assert values == {want["variantKey"]}


def test_bulk_and_etag(clients, hoist_url):
    """The bulk endpoint (OFREP's static-context providers use it): ETag and 304."""
    cfg, _ = clients
    url = f"{hoist_url}/ofrep/v1/evaluate/flags"
    headers = {"X-Flipt-Namespace": NS}
    body = {"context": {"targetingKey": "user-1", "plan": "pro"}}
    r = requests.post(url, json=body, headers=headers, timeout=10)
    assert r.status_code == 200
    assert [f["key"] for f in r.json()["flags"]] == ["checkout", "split", "new-ui"]  # enabled variant + boolean
    etag = r.headers["ETag"]
    again = requests.post(url, json=body, headers={**headers, "If-None-Match": etag}, timeout=10)
    assert again.status_code == 304 and again.content == b"" and again.headers["ETag"] == etag
    other = requests.post(url, json={"context": {"targetingKey": "user-2"}},
                          headers={**headers, "If-None-Match": etag}, timeout=10)
    assert other.status_code == 200 and other.headers["ETag"] != etag
