"""Thin wrapper around the flipt-client Python SDK (embeds the Rust flipt-engine-ffi).

The engine fetches GET {url}/internal/v1/evaluation/snapshot/namespace/{ns} when the client is
created and evaluates locally. Results are normalised to the reference model's dict shape.
"""
import os
import re
import time
from datetime import timedelta
from typing import Optional

os.environ.setdefault("RUST_LIB_BACKTRACE", "0")  # the Rust lib aborts on errors otherwise

import flipt_client  # noqa: E402
from flipt_client.errors import FliptError  # noqa: E402
from flipt_client.models import ClientOptions, EvaluationRequest  # noqa: E402


def engine_library_path() -> str:
    base = os.path.join(os.path.dirname(os.path.abspath(flipt_client.__file__)), "..", "ext")
    return os.path.normpath(os.path.join(base, "linux_x86_64", "libfliptengine.so"))


def engine_version() -> Optional[tuple]:
    """flipt-engine-ffi version embedded in the installed flipt-client (from its User-Agent)."""
    try:
        with open(engine_library_path(), "rb") as fh:
            m = re.search(rb"flipt-engine-ffi/(\d+)\.(\d+)\.(\d+)", fh.read())
    except OSError:
        return None
    return tuple(int(x) for x in m.groups()) if m else None


def normalise_variant(r) -> dict:
    return {"match": r.match, "segmentKeys": set(r.segment_keys), "reason": r.reason,
            "variantKey": r.variant_key, "variantAttachment": r.variant_attachment or ""}


def normalise_boolean(r) -> dict:
    return {"enabled": r.enabled, "reason": r.reason, "segmentKeys": set(r.segment_keys)}


class Engine:
    def __init__(self, url: str, namespace: str):
        self.namespace = namespace
        self.client = flipt_client.FliptClient(ClientOptions(
            url=url, namespace=namespace, update_interval=timedelta(seconds=3600),
            request_timeout=timedelta(seconds=10)))

    def close(self):
        self.client.close()

    def evaluate(self, flag_type: str, flag_key: str, entity_id: str, context: dict):
        """Returns a normalised result dict, or {"error": message}."""
        try:
            if flag_type == "BOOLEAN":
                return normalise_boolean(self.client.evaluate_boolean(flag_key, entity_id, context))
            return normalise_variant(self.client.evaluate_variant(flag_key, entity_id, context))
        except FliptError as e:
            return {"error": str(e)}

    def evaluate_batch(self, items):
        """items: [(flag_key, entity_id, context)] -> list of normalised results / errors."""
        resp = self.client.evaluate_batch(
            [EvaluationRequest(flag_key=k, entity_id=e, context=c) for k, e, c in items])
        out = []
        for r in resp.responses:
            if r.variant_evaluation_response is not None:
                out.append(normalise_variant(r.variant_evaluation_response))
            elif r.boolean_evaluation_response is not None:
                out.append(normalise_boolean(r.boolean_evaluation_response))
            else:
                out.append({"error": r.error_evaluation_response.reason})
        return out

    def flag_keys(self):
        try:
            return [f.key for f in self.client.list_flags()]
        except FliptError:
            return []

    def wait_for_flags(self, n: int, timeout_s: float = 15.0):
        """Bounded wait until the engine's snapshot holds n flags (in case the fetch is async)."""
        deadline = time.monotonic() + timeout_s
        for _ in range(int(timeout_s / 0.1) + 1):
            keys = self.flag_keys()
            if len(keys) >= n or time.monotonic() > deadline:
                return keys
            time.sleep(0.1)
        return self.flag_keys()
