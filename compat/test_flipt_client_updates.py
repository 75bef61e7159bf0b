"""flipt-client (Flipt's client-side SDK with the Rust engine) against a running Hoist: it fetches
the namespace snapshot, evaluates locally, and picks up a flag changed mid-test on its next poll
(with If-None-Match, answered 304 while nothing changed)."""
import re
import time
from datetime import timedelta

from flipt_client import FliptClient
from flipt_client.models import ClientOptions

import hoist_api

NS = "client-updates"
BASE = f"/api/v1/namespaces/{NS}/flags"


def snapshot_304s(url) -> float:
    text = hoist_api.HoistAPI(url).call("GET", "/metrics").text
    pattern = (r'^http_request_duration_seconds_count\{code="304",'
               r'handler="/internal/v1/evaluation/snapshot/namespace/\{key\}",method="get"\} (\S+)$')
    return sum(float(m.group(1)) for m in re.finditer(pattern, text, re.M))


def wait_until(check, timeout_s=15.0):
    deadline = time.monotonic() + timeout_s
    for _ in range(int(timeout_s / 0.1) + 1):
        value = check()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(0.1)
    return check()


def test_client_picks_up_a_changed_flag(hoist_url):
    api = hoist_api.HoistAPI(hoist_url)
    api.json("POST", "/api/v1/namespaces", {"key": NS, "name": NS})
    api.json("POST", BASE, {"key": "banner", "name": "banner", "type": "BOOLEAN_FLAG_TYPE", "enabled": False})
    api.json("POST", BASE, {"key": "theme", "name": "theme", "enabled": True})
    dark = api.json("POST", f"{BASE}/theme/variants", {"key": "dark"})["id"]
    light = api.json("POST", f"{BASE}/theme/variants", {"key": "light"})["id"]
    api.json("PUT", f"{BASE}/theme", {"name": "theme", "enabled": True, "defaultVariantId": light})

    baseline = snapshot_304s(hoist_url)
    client = FliptClient(ClientOptions(url=hoist_url, namespace=NS, update_interval=timedelta(seconds=1),
                                       request_timeout=timedelta(seconds=10)))
    try:
        assert client.evaluate_boolean("banner", "user-1", {}).enabled is False
        theme = client.evaluate_variant("theme", "user-1", {})
        assert (theme.variant_key, theme.reason) == ("light", "DEFAULT_EVALUATION_REASON")

        # Unchanged snapshot: the engine's polls are answered 304.
        assert wait_until(lambda: snapshot_304s(hoist_url) > baseline, timeout_s=10)

        api.json("PUT", f"{BASE}/banner", {"name": "banner", "enabled": True})
        api.json("PUT", f"{BASE}/theme", {"name": "theme", "enabled": True, "defaultVariantId": dark})
        assert wait_until(lambda: client.evaluate_boolean("banner", "user-1", {}).enabled)
        assert wait_until(lambda: client.evaluate_variant("theme", "user-1", {}).variant_key == "dark")

        api.json("PUT", f"{BASE}/theme", {"name": "theme", "enabled": False})
        assert wait_until(lambda: client.evaluate_variant("theme", "user-1", {}).reason
                          == "FLAG_DISABLED_EVALUATION_REASON")
    finally:
        client.close()
