"""Declarative storage (`storage.type: local`) against the real binary: flags served from a
directory of Flipt feature files, edits picked up within a second, an invalid edit keeps the old
flags serving and shows in `/health?plugins` and `/metrics`, management writes are refused."""
import time

import pytest
import requests

ROOT = """\
version: "1.4"
namespace: default
flags:
  - key: dark-mode
    name: Dark mode
    type: BOOLEAN_FLAG_TYPE
    enabled: {enabled}
"""

PAYMENTS = """\
namespace:
  key: payments
  name: Payments
flags:
  - key: provider
    name: Provider
    enabled: true
    variants:
      - key: stripe
      - key: adyen
    rules:
      - segment: everyone
        distributions:
          - variant: {variant}
            rollout: 100
segments:
  - key: everyone
    name: Everyone
    match_type: ANY_MATCH_TYPE
"""


@pytest.fixture()
def declarative(hoist_factory, tmp_path):
    flags = tmp_path / "flags"
    (flags / "teams").mkdir(parents=True)
    (flags / "features.yml").write_text(ROOT.format(enabled="false"))
    (flags / "teams" / "payments.features.yml").write_text(PAYMENTS.format(variant="stripe"))
    url, proc, log = hoist_factory({"FLIPT_STORAGE_TYPE": "local", "FLIPT_STORAGE_LOCAL_PATH": str(flags)})
    return url, flags, log


def boolean(url):
    r = requests.post(url + "/evaluate/v1/boolean", json={
        "namespaceKey": "default", "flagKey": "dark-mode", "entityId": "u1", "context": {}}, timeout=5)
    assert r.status_code == 200, r.text
    return r.json()["enabled"]


def variant(url):
    r = requests.post(url + "/evaluate/v1/variant", json={
        "namespaceKey": "payments", "flagKey": "provider", "entityId": "u1", "context": {}}, timeout=5)
    assert r.status_code == 200, r.text
    return r.json()["variantKey"]


def wait_for(probe, expected, seconds):
    """Polls `probe` until it returns `expected`; returns the seconds it took, or None."""
    started = time.monotonic()
    for _ in range(int(seconds / 0.02) + 1):  # bounded in count and time
        if probe() == expected:
            return time.monotonic() - started
        if time.monotonic() - started > seconds:
            break
        time.sleep(0.02)
    return None


def storage_health(url):
    return requests.get(url + "/health?plugins", timeout=5).json()["plugins"]["storage"]


def metric(url, name):
    for line in requests.get(url + "/metrics", timeout=5).text.splitlines():
        if line.startswith(name + " ") or line.startswith(name + "{"):
            return float(line.rsplit(" ", 1)[1])
    return None


def test_serves_files_and_picks_up_edits_within_a_second(declarative):
    url, flags, _ = declarative
    assert boolean(url) is False
    assert variant(url) == "stripe"
    keys = [n["key"] for n in requests.get(url + "/api/v1/namespaces", timeout=5).json()["namespaces"]]
    assert keys == ["default", "payments"]

    (flags / "features.yml").write_text(ROOT.format(enabled="true"))
    took = wait_for(lambda: boolean(url), True, 1.0)
    assert took is not None, "boolean flag flip not served within one second"

    (flags / "teams" / "payments.features.yml").write_text(PAYMENTS.format(variant="adyen"))
    took = wait_for(lambda: variant(url), "adyen", 1.0)
    assert took is not None, "rule change not served within one second"
    flag = requests.get(url + "/api/v1/namespaces/payments/flags/provider", timeout=5).json()
    assert [v["key"] for v in flag["variants"]] == ["stripe", "adyen"]


def test_invalid_edit_keeps_old_flags_and_reports_until_fixed(declarative):
    url, flags, log = declarative
    assert storage_health(url) == {"state": "OK"}
    assert metric(url, "hoist_declarative_reload_failed") == 0

    broken = ROOT.format(enabled="true") + "    rollouts:\n      - threshold:\n          percentage: 300\n"
    (flags / "features.yml").write_text(broken)
    assert wait_for(lambda: storage_health(url)["state"], "WARN", 2.0) is not None
    health = storage_health(url)
    assert "features.yml:10" in health["message"], health
    assert "percentage" in health["message"], health
    assert boolean(url) is False, "the last good flags keep serving"
    status = requests.get(url + "/health?plugins", timeout=5)
    assert status.status_code == 200, "WARN does not fail the plugin health"
    assert metric(url, "hoist_declarative_reload_failed") == 1
    assert metric(url, "hoist_declarative_reload_errors_total") >= 1
    assert "features.yml" in log.read_text()

    (flags / "features.yml").write_text(ROOT.format(enabled="true"))
    assert wait_for(lambda: boolean(url), True, 1.0) is not None
    assert storage_health(url) == {"state": "OK"}
    assert metric(url, "hoist_declarative_reload_failed") == 0


def test_management_writes_answer_the_read_only_error(declarative):
    url, _, _ = declarative
    expected = {"code": 3, "message": "modification is not allowed in read-only mode", "details": []}
    r = requests.post(url + "/api/v1/namespaces/default/flags", json={"key": "new", "name": "New"}, timeout=5)
    assert (r.status_code, r.json()) == (400, expected)
    r = requests.put(url + "/api/v1/namespaces/default/flags/dark-mode",
                     json={"name": "Renamed", "enabled": True}, timeout=5)
    assert (r.status_code, r.json()) == (400, expected)
    r = requests.delete(url + "/api/v1/namespaces/payments", timeout=5)
    assert (r.status_code, r.json()) == (400, expected)
    # Validation still comes first, as in Flipt.
    r = requests.post(url + "/api/v1/namespaces/default/flags", json={"key": "", "name": "x"}, timeout=5)
    assert r.status_code == 400 and r.json()["message"] != expected["message"]
    assert boolean(url) is False
