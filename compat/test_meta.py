"""Flipt's /meta endpoints (spec observability §5) from the real binary: /meta/info's shape, and
/meta/config echoing the configuration without any secret given through the environment."""
import requests

SECRETS = {
    "FLIPT_AUDIT_SINKS_WEBHOOK_SIGNING_SECRET": "s3cret-signing-key",
    "FLIPT_AUDIT_SINKS_WEBHOOK_URL": "http://hookuser:hook-password@127.0.0.1:9/hook?token=hook-token",
    "FLIPT_TRACING_OTLP_HEADERS_AUTHORIZATION": "Bearer otlp-token",
    "FLIPT_METRICS_OTLP_HEADERS_X_API_KEY": "metrics-api-key",
    "FLIPT_ANALYTICS_STORAGE_PROMETHEUS_URL": "http://promuser:prom-password@127.0.0.1:9",
    "FLIPT_ANALYTICS_STORAGE_PROMETHEUS_HEADERS_AUTHORIZATION": "Bearer prom-token",
    "FLIPT_META_TELEMETRY_URL": "http://teleuser:tele-password@127.0.0.1:9/t",
}
LEAKS = ["s3cret-signing-key", "hook-password", "hook-token", "otlp-token", "metrics-api-key", "prom-password",
         "prom-token", "tele-password", "hookuser", "promuser", "teleuser"]


def test_meta_info_and_config_without_secrets(hoist_factory, tmp_path):
    env = dict(SECRETS, FLIPT_AUDIT_SINKS_WEBHOOK_ENABLED="true", FLIPT_ANALYTICS_STORAGE_PROMETHEUS_ENABLED="true",
               FLIPT_META_STATE_DIRECTORY=str(tmp_path / "state"), DO_NOT_TRACK="1")
    url, _, _ = hoist_factory(env)

    info = requests.get(url + "/meta/info", timeout=10)
    assert info.status_code == 200 and info.headers["Content-Type"] == "application/json"
    body = info.json()
    assert {"version", "updateAvailable", "isRelease", "os", "arch", "authentication", "storage", "analytics",
            "ui"} <= set(body)
    assert body["authentication"] == {"required": False}
    assert body["storage"]["type"] == "database"
    assert body["analytics"] == {"enabled": True}

    config = requests.get(url + "/meta/config", timeout=10)
    assert config.status_code == 200
    for secret in LEAKS:
        assert secret not in config.text, secret
    for key in ("password", "signingSecret", "headers"):
        assert key not in config.text, key
    doc = config.json()
    assert doc["audit"]["sinks"]["webhook"] == {
        "enabled": True, "url": "http://127.0.0.1:9/hook", "maxBackoffDuration": 15_000_000_000}
    assert doc["server"]["host"] == "127.0.0.1"
    assert doc["analytics"]["storage"]["prometheus"] == {"enabled": True}
    assert doc["meta"]["stateDirectory"] == str(tmp_path / "state")
    # ?pretty is honoured as on every other route.
    assert requests.get(url + "/meta/config?pretty", timeout=10).text.startswith("{\n")
