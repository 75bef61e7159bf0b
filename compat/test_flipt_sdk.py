"""Flipt's official Python REST SDK (`flipt` on PyPI) against a running Hoist.

The SDK covers: flag.list_flags, flag.get_flag, evaluation.variant / boolean / batch (sync and
async clients). Quirks of the SDK that the server must tolerate: evaluation bodies are sent with
snake_case (proto) field names and explicit nulls, and list parameters are sent as a JSON text in
the query string. Expected evaluation results come from the reference model.
"""
import asyncio
import random

import pytest
from flipt import AsyncFliptClient, FliptClient
from flipt.evaluation.models import BatchEvaluationRequest, EvaluationRequest
from flipt.exceptions import FliptApiError
from flipt.models import CommonParameters, ListParameters

import hoist_api
import refmodel
from model import Config, Constraint, Distribution, Flag, Rollout, Rule, Segment, Variant

NS = "sdk-compat"


def sdk_config() -> Config:
    segs = {"everyone": Segment("everyone", "ALL"),
            "pro": Segment("pro", "ANY", [Constraint("string", "plan", "eq", "pro"),
                                          Constraint("number", "age", "gte", "18")])}
    flags = [
        Flag("checkout", "VARIANT", True, [Variant("blue", '{"color": "#00f"}'), Variant("red")], "red",
             rules=[Rule(1, ["pro"], "OR", [Distribution("blue", 57.3), Distribution("red", 42.7)]),
                    Rule(2, ["everyone"], "OR", [Distribution("blue", 33.33), Distribution("red", 33.33)])],
             description="variant flag"),
        Flag("new-ui", "BOOLEAN", False, rollouts=[Rollout(1, "segment", True, segment_keys=["pro"]),
                                                    Rollout(2, "threshold", True, percentage=50.5)]),
        Flag("off", "VARIANT", False, [Variant("a")]),
    ]
    return Config(NS, segs, flags)


@pytest.fixture(scope="module")
def sdk(hoist_url):
    cfg = sdk_config()
    problems = hoist_api.load_config(hoist_api.HoistAPI(hoist_url), cfg, random.Random(1))
    assert not problems, problems
    client = FliptClient(url=hoist_url, timeout=10)
    yield cfg, client, hoist_url
    client.close()


CONTEXTS = [("user-1", {}), ("user-286", {"plan": "pro"}), ("user-1410", {"age": "21"}),
            ("user-603", {"age": "17", "plan": "free"}), ("user@flipt.io", {"plan": " pro"})]


def test_list_flags(sdk):
    cfg, client, _ = sdk
    resp = client.flag.list_flags(namespace_key=NS)
    assert [f.key for f in resp.flags] == [f.key for f in cfg.flags]  # creation order
    assert resp.total_count == len(cfg.flags) and resp.next_page_token == ""
    checkout = resp.flags[0]
    assert checkout.type == "VARIANT_FLAG_TYPE" and checkout.namespace_key == NS
    assert [v.key for v in checkout.variants] == ["blue", "red"]
    # List returns attachments exactly as stored; Get compacts them (spec API §7.3)
    assert checkout.variants[0].attachment == '{"color": "#00f"}'
    assert resp.flags[1].type == "BOOLEAN_FLAG_TYPE" and resp.flags[1].enabled is False
    # the SDK sends ListParameters as a JSON text in the query string: must be ignored
    again = client.flag.list_flags(namespace_key=NS, params=ListParameters(limit=1))
    assert [f.key for f in again.flags] == [f.key for f in resp.flags]


def test_list_flags_unknown_namespace_is_empty(sdk):
    _, client, _ = sdk
    resp = client.flag.list_flags(namespace_key="no-such-namespace")
    assert resp.flags == [] and resp.total_count == 0


def test_get_flag(sdk):
    _, client, _ = sdk
    flag = client.flag.get_flag(NS, "checkout", params=CommonParameters(reference=""))
    assert (flag.key, flag.name, flag.description, flag.enabled) == \
        ("checkout", "checkout", "variant flag", True)
    assert flag.created_at is not None and flag.updated_at is not None
    assert [(v.key, v.attachment) for v in flag.variants] == [("blue", '{"color":"#00f"}'), ("red", "")]
    with pytest.raises(FliptApiError) as e:
        client.flag.get_flag(NS, "missing")
    assert e.value.status_code == 404 and e.value.message == f'flag "{NS}/missing" not found'


def _expected(cfg, key, entity, ctx):
    return refmodel.evaluate(cfg, cfg.flag(key), entity, ctx)[0]


@pytest.mark.parametrize("entity,ctx", CONTEXTS)
def test_variant(sdk, entity, ctx):
    cfg, client, _ = sdk
    for key in ("checkout", "off"):
        r = client.evaluation.variant(EvaluationRequest(namespace_key=NS, flag_key=key,
                                                        entity_id=entity, context=ctx))
        want = _expected(cfg, key, entity, ctx)
        assert (r.match, set(r.segment_keys), r.reason, r.variant_key, r.variant_attachment) == \
            (want["match"], want["segmentKeys"], want["reason"], want["variantKey"],
             want["variantAttachment"])
        assert r.flag_key == key and r.timestamp and r.request_duration_millis >= 0


@pytest.mark.parametrize("entity,ctx", CONTEXTS)
def test_boolean(sdk, entity, ctx):
    cfg, client, _ = sdk
    r = client.evaluation.boolean(EvaluationRequest(namespace_key=NS, flag_key="new-ui",
                                                    entity_id=entity, context=ctx))
    want = _expected(cfg, "new-ui", entity, ctx)
    assert (r.enabled, r.reason, set(r.segment_keys)) == \
        (want["enabled"], want["reason"], want["segmentKeys"])


def test_batch(sdk):
    cfg, client, _ = sdk
    reqs = [EvaluationRequest(namespace_key=NS, flag_key=k, entity_id=e, context=c)
            for e, c in CONTEXTS for k in ("checkout", "new-ui")]
    reqs.insert(3, EvaluationRequest(namespace_key=NS, flag_key="ghost", entity_id="x", context={}))
    resp = client.evaluation.batch(BatchEvaluationRequest(requests=reqs))
    assert len(resp.responses) == len(reqs) and resp.request_id
    for req, item in zip(reqs, resp.responses):
        if req.flag_key == "ghost":
            assert item.type == "ERROR_EVALUATION_RESPONSE_TYPE"
            assert (item.error_response.flag_key, item.error_response.namespace_key,
                    item.error_response.reason) == ("ghost", NS, "NOT_FOUND_ERROR_EVALUATION_REASON")
            continue
        want = _expected(cfg, req.flag_key, req.entity_id, req.context)
        if req.flag_key == "new-ui":
            r = item.boolean_response
            assert item.type == "BOOLEAN_EVALUATION_RESPONSE_TYPE" and item.variant_response is None
            assert (r.enabled, r.reason, set(r.segment_keys)) == \
                (want["enabled"], want["reason"], want["segmentKeys"])
        else:
            r = item.variant_response
            assert item.type == "VARIANT_EVALUATION_RESPONSE_TYPE" and item.boolean_response is None
            assert (r.match, r.reason, r.variant_key, set(r.segment_keys)) == \
                (want["match"], want["reason"], want["variantKey"], want["segmentKeys"])


def test_errors(sdk):
    _, client, _ = sdk
    with pytest.raises(FliptApiError) as e:
        client.evaluation.variant(EvaluationRequest(namespace_key=NS, flag_key="new-ui",
                                                    entity_id="e", context={}))
    assert e.value.status_code == 400 and e.value.message == "flag type BOOLEAN_FLAG_TYPE invalid"
    with pytest.raises(FliptApiError) as e:
        client.evaluation.boolean(EvaluationRequest(namespace_key=NS, flag_key="ghost",
                                                    entity_id="e", context={}))
    assert e.value.status_code == 404 and e.value.message == f'flag "{NS}/ghost" not found'


def test_async_client(sdk):
    cfg, _, url = sdk

    async def run():
        client = AsyncFliptClient(url=url, timeout=10)
        try:
            v = await client.evaluation.variant(EvaluationRequest(
                namespace_key=NS, flag_key="checkout", entity_id="user-286", context={"plan": "pro"}))
            flags = await client.flag.list_flags(namespace_key=NS)
        finally:
            await client.close()
        return v, flags

    v, flags = asyncio.run(run())
    want = _expected(cfg, "checkout", "user-286", {"plan": "pro"})
    assert (v.match, v.variant_key) == (want["match"], want["variantKey"])
    assert len(flags.flags) == len(cfg.flags)
