"""OTLP/gRPC export (tracing.exporter otlp without scheme, and jaeger → OTLP/gRPC on the Jaeger host)."""
import pytest

from tracing_support import GRPCReceiver, create_flags, evaluate

TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"
PARENT = "00f067aa0ba902b7"


@pytest.fixture()
def grpc_receiver():
    r = GRPCReceiver()
    yield r
    r.close()


@pytest.mark.parametrize("exporter", ["otlp", "jaeger"])
def test_otlp_grpc_and_jaeger(hoist_factory, grpc_receiver, exporter):
    env = {"FLIPT_TRACING_ENABLED": "true", "FLIPT_TRACING_EXPORTER": exporter,
           "FLIPT_TRACING_PROPAGATORS": "b3multi tracecontext"}
    if exporter == "otlp":
        env["FLIPT_TRACING_OTLP_ENDPOINT"] = f"127.0.0.1:{grpc_receiver.port}"
        env["FLIPT_TRACING_OTLP_HEADERS_AUTHORIZATION"] = "Bearer g"
    else:
        env["FLIPT_TRACING_JAEGER_HOST"] = "127.0.0.1"
        env["FLIPT_TRACING_JAEGER_PORT"] = str(grpc_receiver.port)
    url, _, log = hoist_factory(env)
    create_flags(url)
    evaluate(url, "variant", "color",
             headers={"X-B3-TraceId": TRACE, "X-B3-SpanId": PARENT, "X-B3-Sampled": "1"})
    spans = grpc_receiver.wait_for(lambda s: sum(x["traceId"] == TRACE for x in s) >= 2, timeout=10)
    mine = [s for s in spans if s["traceId"] == TRACE]
    assert len(mine) == 2, (spans, open(log).read()[-2000:])
    server = next(s for s in mine if s["name"] == "POST /evaluate/v1/variant")
    child = next(s for s in mine if s["name"] == "evaluation.variant")
    assert server["parentId"] == PARENT and child["parentId"] == server["id"]
    assert child["attributes"]["feature_flag.result.variant"] == "red"
    if exporter == "otlp":
        assert grpc_receiver.metadata[0].get("authorization") == "Bearer g"
    else:
        assert "deprecated" in open(log).read()
