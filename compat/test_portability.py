"""End-to-end tests of `hoist import`, `hoist export`, `hoist validate`, `hoist config init` and
`hoist --version`, running the real binary against real SQLite files and real servers."""
import json
import os
import subprocess

import pytest
import requests

from conftest import DEFAULT_BIN
import portability_gen as gen

BIN = os.environ.get("HOIST_BIN", DEFAULT_BIN)


def hoist(*args, db=None, stdin=None, env=None, check=True, cwd=None):
    """Runs the hoist binary; returns the CompletedProcess (text mode)."""
    full_env = dict(os.environ, FLIPT_LOG_LEVEL="warn")
    full_env.pop("FLIPT_DB_URL", None)
    if db is not None:
        full_env["FLIPT_DB_URL"] = f"file:{db}"
    full_env.update(env or {})
    proc = subprocess.run([BIN, *map(str, args)], input=stdin, capture_output=True, text=True,
                          env=full_env, timeout=120, cwd=cwd)
    if check and proc.returncode != 0:
        pytest.fail(f"hoist {' '.join(map(str, args))} exited {proc.returncode}:\n{proc.stderr}", pytrace=False)
    return proc


def strip_header(text):
    lines = text.splitlines(keepends=True)
    assert lines[0].startswith("# exported by Hoist (") and lines[1] == "\n", lines[:2]
    return "".join(lines[2:])


def test_round_trip_every_entity_kind_through_the_database(tmp_path):
    documents = gen.generate(seed=8, namespaces=4)
    source = tmp_path / "generated.json"
    source.write_text(gen.dumps_json(documents))
    db = tmp_path / "a.db"
    result = hoist("import", source, db=db)
    assert "imported" in result.stderr
    exported = tmp_path / "exported.json"
    hoist("export", "--all-namespaces", "--sort-by-key", "-o", exported, db=db)
    assert gen.load_json_stream(exported.read_text()) == documents

    # YAML: export, import into a fresh database, export again: byte-identical documents.
    first_yaml = tmp_path / "first.yml"
    hoist("export", "--all-namespaces", "--sort-by-key", "-o", first_yaml, db=db)
    hoist("import", first_yaml, db=tmp_path / "b.db")
    second = hoist("export", "--all-namespaces", "--sort-by-key", db=tmp_path / "b.db").stdout
    assert strip_header(first_yaml.read_text()) == second
    assert second.count("\n---\n") == 3


def _evaluations(url, documents, contexts):
    results = []
    for doc in documents:
        ns = doc["namespace"]["key"]
        for entity, ctx in contexts:
            reqs = [{"namespaceKey": ns, "flagKey": f["key"], "entityId": entity, "context": ctx}
                    for f in doc["flags"]]
            r = requests.post(url + "/evaluate/v1/batch", json={"requests": reqs}, timeout=10)
            assert r.status_code == 200, r.text
            for response in r.json()["responses"]:
                inner = response.get("variantResponse") or response.get("booleanResponse") or response
                for volatile in ("requestId", "requestDurationMillis", "timestamp"):
                    inner.pop(volatile, None)
                results.append((ns, entity, json.dumps(response, sort_keys=True)))
    return results


def test_export_then_import_into_a_fresh_database_keeps_every_evaluation(tmp_path, hoist_factory):
    documents = gen.generate(seed=21, namespaces=3)
    source = tmp_path / "generated.json"
    source.write_text(gen.dumps_json(documents))
    url_a, _, _ = hoist_factory({})
    # into server A over HTTP, then out of it over HTTP
    hoist("import", source, "--address", url_a)
    exported = tmp_path / "from-a.yml"
    hoist("export", "--all-namespaces", "--address", url_a, "-o", exported)
    # into a fresh database directly, then serve it as B
    db_b = tmp_path / "b.db"
    hoist("import", exported, db=db_b)
    url_b, _, _ = hoist_factory({"FLIPT_DB_URL": f"file:{db_b}"})
    contexts = gen.contexts(seed=5, count=40)
    a = _evaluations(url_a, documents, contexts)
    b = _evaluations(url_b, documents, contexts)
    assert len(a) == 3 * 40 * 8
    assert a == b
    matched = sum('"match": true' in r or '"enabled": true' in r for _, _, r in a)
    assert matched > len(a) // 10, "the generated contexts should match some rules"


def test_all_namespaces_pages_past_25_over_http(tmp_path, hoist_factory):
    documents = gen.generate(seed=3, namespaces=31, flags_per_ns=2, segments_per_ns=2)
    source = tmp_path / "many.json"
    source.write_text(gen.dumps_json(documents))
    url, _, _ = hoist_factory({})
    hoist("import", source, "--address", url)
    out = hoist("export", "--all-namespaces", "--sort-by-key", "--address", url, "-o", tmp_path / "all.json")
    assert out.returncode == 0
    exported = gen.load_json_stream((tmp_path / "all.json").read_text())
    assert [d["namespace"]["key"] for d in exported] == sorted(d["namespace"]["key"] for d in documents)
    assert exported == sorted(documents, key=lambda d: d["namespace"]["key"])


def test_fixture_with_every_documented_field_imports_cleanly(tmp_path):
    fixture = os.path.join(os.path.dirname(__file__), "..", "Tests", "HoistDocumentsTests", "Fixtures", "all-fields.yml")
    db = tmp_path / "f.db"
    hoist("validate", fixture)
    hoist("import", fixture, db=db)
    out = hoist("export", "--namespaces", "production,staging", db=db).stdout
    assert "namespace:\n  key: production\n  name: Production\n  description: Live traffic\n" in out
    assert "- default: true\n    key: blue\n" in out
    assert "operator: AND_SEGMENT_OPERATOR" in out and "percentage: 25" in out


def test_validate_reports_file_line_and_problem(tmp_path):
    good = tmp_path / "good.yml"
    good.write_text("flags:\n  - key: a\n    name: A\n")
    bad = tmp_path / "bad.yml"
    bad.write_text("flags:\n  - key: a\n    name: A\n    variants: [{key: v}]\n    rules:\n"
                   "      - segment: s\n        distributions: [{variant: nope, rollout: 10}]\n"
                   "segments:\n  - key: s\n    name: S\n    constraints:\n"
                   "      - {type: NUMBER_COMPARISON_TYPE, property: age, operator: prefix, value: '1'}\n")
    ok = hoist("validate", good)
    assert "good.yml: ok (1 document(s), 1 flag(s), 0 segment(s))" in ok.stdout
    failed = hoist("validate", good, bad, check=False)
    assert failed.returncode == 1
    lines = failed.stderr.strip().splitlines()
    assert lines[0].startswith(f"{bad}:7:") and 'flag "a", rule 1, distribution 1, field variant' in lines[0]
    assert lines[1].startswith(f"{bad}:12:") and "field operator" in lines[1]
    yaml_error = tmp_path / "broken.yml"
    yaml_error.write_text("flags:\n  - key: a\n   name: [\n")
    broken = hoist("validate", yaml_error, check=False)
    assert broken.returncode == 1 and f"{yaml_error}:3:" in broken.stderr and "invalid YAML" in broken.stderr


def test_import_is_all_or_nothing_against_the_database(tmp_path):
    db = tmp_path / "atomic.db"
    hoist("import", "--stdin", db=db, stdin="flags:\n  - key: existing\n    name: Existing\n")
    # The second document's rule names a segment that exists nowhere: the store rejects it.
    bad = tmp_path / "partial.yml"
    bad.write_text("namespace: first\nflags:\n  - key: one\n    name: One\n---\n"
                   "namespace: second\nflags:\n  - key: two\n    name: Two\n    rules:\n      - segment: ghost\n")
    failed = hoist("import", bad, db=db, check=False)
    assert failed.returncode == 1
    assert 'document 2 (namespace "second"), flag "two", rule 1: flag "second/two" or segment "second/ghost" not found' \
        in failed.stderr
    out = hoist("export", "--all-namespaces", db=db).stdout
    assert "existing" in out and "first" not in out and "second" not in out
    # --skip-existing and --drop
    again = hoist("import", "--stdin", "--skip-existing", db=db,
                  stdin="flags:\n  - key: existing\n    name: Changed\n  - key: fresh\n    name: Fresh\n")
    assert "skipped 1 existing flag(s)" in again.stderr
    out = hoist("export", db=db).stdout
    assert "name: Existing" in out and "key: fresh" in out
    hoist("import", "--drop", "--stdin", db=db, stdin="namespace: only\nflags:\n  - {key: x, name: X}\n")
    out = hoist("export", "--all-namespaces", db=db).stdout
    assert "existing" not in out and "key: only" in out and "key: default" in out


def test_http_import_error_names_the_element(tmp_path, hoist_factory):
    url, _, _ = hoist_factory({})
    hoist("import", "--stdin", "--address", url, stdin="flags:\n  - {key: dup, name: Dup}\n")
    failed = hoist("import", "--stdin", "--address", url, check=False,
                   stdin="flags:\n  - {key: ok, name: OK}\n  - {key: dup, name: Dup}\n")
    assert failed.returncode == 1
    assert 'document 1 (namespace "default"), flag "dup": flag "default/dup" is not unique' in failed.stderr
    # over HTTP the import is not atomic: the flag before the failure stays (documented)
    assert requests.get(url + "/api/v1/namespaces/default/flags/ok", timeout=5).status_code == 200


def test_config_init_version_and_help(tmp_path):
    target = tmp_path / "conf" / "config.yml"
    hoist("config", "init", "-o", target)
    text = target.read_text()
    assert text.startswith("# Hoist configuration") and "http_port: 8080" in text
    refused = hoist("config", "init", "-o", target, check=False)
    assert refused.returncode == 1 and "already exists; use --force" in refused.stderr
    target.write_text("changed")
    hoist("config", "init", "-o", target, "--force")
    assert target.read_text() == text
    # the written file is a valid configuration: export through it against a database
    db = tmp_path / "via-config.db"
    hoist("export", "--config", target, db=db)
    assert hoist("--version").stdout.strip() != ""
    for command in ("import", "export", "validate", "serve"):
        help_text = hoist(command, "--help").stdout
        assert "USAGE" in help_text.upper() and len(help_text) > 300, command
    assert "Examples" in hoist("import", "--help").stdout


class _StubFlipt:
    """A minimal Flipt REST stand-in on loopback that records request headers. With `loop_token`,
    every namespace page answers the same nextPageToken (how Flipt's exporter loops forever)."""

    def __init__(self, loop_token=None):
        import http.server
        import threading
        self.requests = []
        stub = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                stub.requests.append((self.path, self.headers.get("Authorization")))
                path = self.path.split("?")[0]
                if path == "/api/v1/namespaces":
                    body = {"namespaces": [{"key": "default", "name": "Default"}],
                            "nextPageToken": loop_token or "", "totalCount": 1}
                elif path == "/api/v1/namespaces/default":
                    body = {"key": "default", "name": "Default", "description": "from the stub"}
                elif path.endswith("/flags"):
                    body = {"flags": [{"key": "f", "name": "F", "type": "BOOLEAN_FLAG_TYPE", "enabled": True,
                                       "variants": []}], "nextPageToken": "", "totalCount": 1}
                elif path.endswith("/rollouts"):
                    body = {"rules": [{"id": "r1", "rank": 1, "type": "THRESHOLD_ROLLOUT_TYPE",
                                       "threshold": {"percentage": 40, "value": True}}]}
                elif path.endswith("/rules"):
                    body = {"rules": []}
                elif path.endswith("/segments"):
                    body = {"segments": [], "nextPageToken": "", "totalCount": 0}
                else:
                    self.send_response(404)
                    self.end_headers()
                    return
                data = json.dumps(body).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def test_export_over_http_sends_the_token_and_stops_on_a_repeated_page_token():
    stub = _StubFlipt()
    try:
        out = hoist("export", "--address", stub.url, "--token", "s3cret").stdout
    finally:
        stub.close()
    assert "description: from the stub" in out and "percentage: 40" in out and "value: true" in out
    assert stub.requests and all(auth == "Bearer s3cret" for _, auth in stub.requests)
    looping = _StubFlipt(loop_token="eyJvZmZzZXQiOjI1fQ==")
    try:
        failed = hoist("export", "--all-namespaces", "--address", looping.url, check=False)
    finally:
        looping.close()
    assert failed.returncode == 1
    assert "returned page token eyJvZmZzZXQiOjI1fQ== twice" in failed.stderr
    assert len(looping.requests) == 2
    assert looping.requests[1][0] == "/api/v1/namespaces?limit=25&pageToken=eyJvZmZzZXQiOjI1fQ%3D%3D"


def test_validate_together_checks_a_directory_of_files_as_one_set(tmp_path):
    segments = tmp_path / "segments.yml"
    segments.write_text("namespace: prod\nsegments:\n  - {key: beta, name: Beta}\n")
    flags = tmp_path / "flags.features.yml"
    flags.write_text("namespace: prod\nflags:\n  - key: f\n    name: F\n    rules: [{segment: beta}]\n")
    alone = hoist("validate", segments, flags, check=False)
    assert alone.returncode == 1 and 'segment "beta" is not defined in namespace "prod"' in alone.stderr
    together = hoist("validate", "--together", segments, flags)
    assert "2 file(s) ok together" in together.stdout


def test_drop_over_http_force_deletes_every_namespace_and_recreates_default(tmp_path, hoist_factory):
    url, _, _ = hoist_factory({})
    hoist("import", "--stdin", "--address", url,
          stdin="flags: [{key: old, name: Old}]\n---\nnamespace: gone\nflags: [{key: g, name: G}]\n")
    hoist("import", "--stdin", "--drop", "--address", url, stdin="namespace: only\nflags: [{key: x, name: X}]\n")
    keys = [n["key"] for n in requests.get(url + "/api/v1/namespaces", timeout=5).json()["namespaces"]]
    assert sorted(keys) == ["default", "only"]
    default = requests.get(url + "/api/v1/namespaces/default", timeout=5).json()
    # as with flipt import --drop over the API, default comes back without its protection
    assert default["name"] == "Default" and default["protected"] is False
    assert requests.get(url + "/api/v1/namespaces/default/flags", timeout=5).json()["flags"] == []
