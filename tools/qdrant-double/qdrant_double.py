#!/usr/bin/env python3
"""A Qdrant double for SalesBoost's tests: the REST endpoints the Qdrant
adapter uses (collections create/get, payload indexes, points upsert, delete
by filter, query and query/batch), over an in-memory store, with exact dense
cosine and sparse dot-product search (the "idf" modifier as Qdrant computes
it) and payload filters (must / should / must_not, match value / any).

Every request body and every response it sends is validated against the
schemas of Qdrant's published OpenAPI document (tests/data/qdrant/openapi.json,
OpenAPI 3.0 converted to JSON Schema: `nullable`, and objects that list their
properties take no others). A request that fails is answered 400 and recorded;
a response that fails is recorded too. Tests read the record and assert it is
empty.

Control endpoints (not Qdrant's), under /_double/:
  GET  /_double/state   {"violations": [...], "requests": {"METHOD path": n},
                         "collections": {name: {"ids": [...], "dense": n}}}
  POST /_double/faults  {"faults": [{"method", "path" (prefix, no query),
                         "action": "status"|"delay"|"drop", "status", "delay_ms",
                         "after" (matching requests let through first), "times"}]}
  POST /_double/reset   forgets faults, violations and request counts

Usage: qdrant_double.py --openapi FILE [--port 0] [--port-file FILE] [--api-key KEY]
"""

import argparse
import copy
import json
import math
import re
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import jsonschema


def to_json_schema(node):
    """OpenAPI 3.0 schema objects -> JSON Schema (draft 7)."""
    if isinstance(node, list):
        return [to_json_schema(n) for n in node]
    if not isinstance(node, dict):
        return node
    out = {k: to_json_schema(v) for k, v in node.items() if k not in ("nullable", "example", "format")}
    if "$ref" in out:
        return {"$ref": out["$ref"]}
    if "properties" in out and "additionalProperties" not in out and out.get("type") == "object":
        out["additionalProperties"] = False
    if node.get("nullable"):
        if "type" in out:
            t = out["type"]
            out["type"] = (t if isinstance(t, list) else [t]) + ["null"]
            if "enum" in out:
                out["enum"] = out["enum"] + [None]
        elif out:
            out = {"anyOf": [out, {"type": "null"}]}
        else:
            out = {"type": "null"}
    return out


class Spec:
    def __init__(self, path):
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
        self.version = doc["info"]["version"]
        self.components = {"schemas": to_json_schema(doc["components"]["schemas"])}
        self.operations = []  # (method, regex, operation)
        for template, item in doc["paths"].items():
            regex = re.compile("^" + re.sub(r"\{[^}]+\}", r"[^/]+", template) + "$")
            for method, operation in item.items():
                if method in ("get", "put", "post", "delete", "patch"):
                    self.operations.append((method.upper(), regex, operation))

    def operation(self, method, path):
        for m, regex, operation in self.operations:
            if m == method and regex.match(path):
                return operation
        return None

    def errors(self, schema, value):
        root = {"components": self.components, "allOf": [to_json_schema(schema)]}
        validator = jsonschema.Draft7Validator(root)
        return [f"{'/'.join(str(p) for p in e.absolute_path)}: {e.message}" for e in validator.iter_errors(value)][:5]


def schema_of(content_holder):
    return ((content_holder or {}).get("content") or {}).get("application/json", {}).get("schema")


class Store:
    def __init__(self):
        self.lock = threading.Lock()
        self.collections = {}
        self.operation_id = 0
        self.violations = []
        self.requests = {}
        self.faults = []


def matches(condition, payload):
    if "must" in condition or "should" in condition or "must_not" in condition:
        return passes(condition, payload)
    key = condition.get("key")
    match = condition.get("match")
    if key is None or match is None:
        raise ValueError("only field conditions with match are supported by the double")
    value = payload.get(key)
    values = value if isinstance(value, list) else [value]
    if "value" in match:
        return match["value"] in values
    if "any" in match:
        return any(v in values for v in match["any"])
    if "except" in match:
        return not any(v in values for v in match["except"])
    raise ValueError("unsupported match")


def passes(filter_, payload):
    if not filter_:
        return True
    must = filter_.get("must") or []
    should = filter_.get("should") or []
    must_not = filter_.get("must_not") or []
    must = must if isinstance(must, list) else [must]
    should = should if isinstance(should, list) else [should]
    must_not = must_not if isinstance(must_not, list) else [must_not]
    if not all(matches(c, payload) for c in must):
        return False
    if should and not any(matches(c, payload) for c in should):
        return False
    return not any(matches(c, payload) for c in must_not)


def unit(v):
    norm = math.sqrt(sum(x * x for x in v))
    return [x / norm for x in v] if norm > 0 else list(v)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    spec = None
    store = None
    api_key = ""

    def log_message(self, fmt, *args):
        pass

    # -- plumbing ---------------------------------------------------------
    def reply(self, status, body, operation=None):
        if operation is not None:
            responses = operation.get("responses", {})
            described = responses.get(str(status)) or responses.get(f"{str(status)[0]}XX") or responses.get("default")
            schema = schema_of(described)
            problems = ["no response described"] if described is None else (
                self.spec.errors(schema, body) if schema is not None else [])
            if problems:
                with self.store.lock:
                    self.store.violations.append(
                        {"direction": "response", "request": f"{self.command} {self.path}", "status": status,
                         "errors": problems})
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def error(self, status, message, operation=None):
        self.reply(status, {"status": {"error": message}, "time": 0.0001, "result": None}, operation)

    def ok(self, result, operation, started):
        self.reply(200, {"result": result, "status": "ok", "time": time.monotonic() - started}, operation)

    def fault(self, path):
        with self.store.lock:
            for fault in self.store.faults:
                if fault.get("method", self.command) != self.command or not path.startswith(fault["path"]):
                    continue
                if fault.get("after", 0) > 0:
                    fault["after"] -= 1
                    continue
                if fault.get("times", 1) <= 0:
                    continue
                fault["times"] = fault.get("times", 1) - 1
                return dict(fault)
        return None

    def handle_any(self):
        started = time.monotonic()
        split = urlsplit(self.path)
        path = split.path
        length = int(self.headers.get("content-length") or 0)
        raw = self.rfile.read(length) if length else b""
        if path.startswith("/_double/"):
            return self.control(path, raw)
        with self.store.lock:
            key = f"{self.command} {path}"
            self.store.requests[key] = self.store.requests.get(key, 0) + 1
        fault = self.fault(path)
        if fault is not None:
            if fault["action"] == "delay":
                time.sleep(fault.get("delay_ms", 1000) / 1000)
            elif fault["action"] == "drop":
                self.close_connection = True
                self.connection.shutdown(socket.SHUT_RDWR)
                return None
            elif fault["action"] == "status":
                return self.error(fault.get("status", 503), "injected failure")
        operation = self.spec.operation(self.command, path)
        if operation is None:
            return self.error(404, f"no such endpoint: {self.command} {path}")
        if self.api_key and self.headers.get("api-key") != self.api_key:
            return self.error(401, "Must provide an API key or an Authorization bearer token", operation)
        problems = []
        declared = {p["name"]: p for p in operation.get("parameters", []) if p.get("in") == "query"}
        for name, values in parse_qs(split.query, keep_blank_values=True).items():
            if name not in declared:
                problems.append(f"query parameter {name} is not declared")
            elif declared[name]["schema"].get("type") == "boolean" and values[-1] not in ("true", "false"):
                problems.append(f"query parameter {name} is not a boolean")
        body = None
        request_schema = schema_of(operation.get("requestBody"))
        if raw:
            try:
                body = json.loads(raw)
            except ValueError as e:
                problems.append(f"body is not JSON: {e}")
        if request_schema is not None:
            if body is None and not problems:
                problems.append("a body is required")
            elif body is not None:
                problems += self.spec.errors(request_schema, body)
        if problems:
            with self.store.lock:
                self.store.violations.append(
                    {"direction": "request", "request": f"{self.command} {self.path}", "errors": problems})
            return self.error(400, "; ".join(problems), operation)
        try:
            return self.route(path, body, operation, started)
        except ValueError as e:
            return self.error(400, str(e), operation)

    do_GET = do_PUT = do_POST = do_DELETE = do_PATCH = handle_any

    def control(self, path, raw):
        store = self.store
        with store.lock:
            if path == "/_double/state":
                collections = {
                    name: {"ids": sorted(c["points"].keys()),
                           "dense": sum(1 for p in c["points"].values() if "dense" in p["vector"])}
                    for name, c in store.collections.items()}
                body = {"violations": store.violations, "requests": store.requests, "collections": collections,
                        "openapi_version": self.spec.version}
            elif path == "/_double/faults":
                store.faults = json.loads(raw or b"{}").get("faults", [])
                body = {"faults": len(store.faults)}
            elif path == "/_double/reset":
                store.faults, store.violations, store.requests = [], [], {}
                body = {}
            else:
                body = None
        if body is None:
            self.send_response(404)
            self.send_header("content-length", "0")
            self.end_headers()
            return
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    # -- Qdrant ---------------------------------------------------------------
    def route(self, path, body, operation, started):
        parts = path.strip("/").split("/")
        if len(parts) < 2 or parts[0] != "collections":
            return self.error(404, "not found", operation)
        name = parts[1]
        rest = "/".join(parts[2:])
        store = self.store
        with store.lock:
            collection = store.collections.get(name)
            if rest == "" and self.command == "PUT":
                if collection is not None:
                    return self.error(409, f"Wrong input: Collection `{name}` already exists!", operation)
                store.collections[name] = {"config": body, "points": {}, "indexes": {}}
                return self.ok(True, operation, started)
            if collection is None:
                return self.error(404, f"Not found: Collection `{name}` doesn't exist!", operation)
            if rest == "" and self.command == "GET":
                return self.ok(self.info(collection), operation, started)
            if rest == "index" and self.command == "PUT":
                collection["indexes"][body["field_name"]] = body.get("field_schema")
                return self.ok(self.update(), operation, started)
            if rest == "points" and self.command == "PUT":
                return self.upsert(collection, body, operation, started)
            if rest == "points/vectors" and self.command == "PUT":
                return self.update_vectors(collection, body, operation, started)
            if rest == "points/delete" and self.command == "POST":
                if "points" in body:
                    for pid in body["points"]:
                        collection["points"].pop(pid, None)
                else:
                    doomed = [pid for pid, p in collection["points"].items() if passes(body["filter"], p["payload"])]
                    for pid in doomed:
                        del collection["points"][pid]
                return self.ok(self.update(), operation, started)
            if rest == "points/query" and self.command == "POST":
                return self.ok({"points": self.query(collection, body)}, operation, started)
            if rest == "points/query/batch" and self.command == "POST":
                return self.ok([{"points": self.query(collection, s)} for s in body["searches"]], operation, started)
        return self.error(404, f"the double does not serve {self.command} {path}", operation)

    def update(self):
        self.store.operation_id += 1
        return {"operation_id": self.store.operation_id, "status": "completed"}

    def info(self, collection):
        config = collection["config"]
        params = {"vectors": config.get("vectors", {}), "shard_number": 1, "replication_factor": 1,
                  "write_consistency_factor": 1, "on_disk_payload": True}
        if config.get("sparse_vectors"):
            params["sparse_vectors"] = config["sparse_vectors"]
        schema = {}
        for field, field_schema in collection["indexes"].items():
            data_type = field_schema if isinstance(field_schema, str) else field_schema["type"]
            entry = {"data_type": data_type, "points": len(collection["points"])}
            if isinstance(field_schema, dict):
                entry["params"] = field_schema
            schema[field] = entry
        return {
            "status": "green", "optimizer_status": "ok", "segments_count": 1,
            "points_count": len(collection["points"]), "indexed_vectors_count": 0,
            "config": {"params": params,
                       "hnsw_config": {"m": 16, "ef_construct": 100, "full_scan_threshold": 10000},
                       "optimizer_config": {"deleted_threshold": 0.2, "vacuum_min_vector_number": 1000,
                                            "default_segment_number": 0, "flush_interval_sec": 5},
                       "wal_config": {"wal_capacity_mb": 32, "wal_segments_ahead": 0}},
            "payload_schema": schema}

    def vectors_of(self, collection, vector):
        dense_config = collection["config"].get("vectors") or {}
        sparse_config = collection["config"].get("sparse_vectors") or {}
        if not isinstance(vector, dict):
            raise ValueError("the collection has named vectors only")
        stored = {}
        for vname, value in vector.items():
            if vname in dense_config:
                if not isinstance(value, list) or len(value) != dense_config[vname]["size"]:
                    raise ValueError(f"Wrong input: Vector dimension error: expected dim: "
                                     f"{dense_config[vname]['size']}")
                stored["dense"] = unit(value)
            elif vname in sparse_config:
                if len(value["indices"]) != len(value["values"]) or len(set(value["indices"])) != len(
                        value["indices"]):
                    raise ValueError("Wrong input: sparse indices and values differ or repeat")
                stored["sparse"] = dict(zip(value["indices"], value["values"]))
            else:
                raise ValueError(f"Wrong input: Not existing vector name error: {vname}")
        return stored

    def update_vectors(self, collection, body, operation, started):
        staged = []
        for point in body["points"]:
            if point["id"] not in collection["points"]:
                return self.error(404, f"Not found: No point with id {point['id']} found", operation)
            staged.append((point["id"], self.vectors_of(collection, point["vector"])))
        for pid, vectors in staged:
            target = collection["points"][pid]
            target["vector"].update(vectors)
            target["version"] += 1
        return self.ok(self.update(), operation, started)

    def upsert(self, collection, body, operation, started):
        if "points" not in body:
            raise ValueError("the double takes points as a list")
        staged = {}
        for point in body["points"]:
            stored = self.vectors_of(collection, point.get("vector") or {})
            staged[point["id"]] = {"vector": stored, "payload": point.get("payload") or {}}
        for pid, point in staged.items():
            previous = collection["points"].get(pid)
            point["version"] = (previous["version"] + 1) if previous else 0
            collection["points"][pid] = point
        return self.ok(self.update(), operation, started)

    def query(self, collection, request):
        if request.get("prefetch"):
            raise ValueError("the double serves plain queries only")
        using = request.get("using")
        query = request.get("query")
        limit = request.get("limit") or 10
        candidates = [(pid, p) for pid, p in collection["points"].items()
                      if passes(request.get("filter"), p["payload"])]
        sparse_config = collection["config"].get("sparse_vectors") or {}
        dense_config = collection["config"].get("vectors") or {}
        scored = []
        if isinstance(query, list):
            if using not in dense_config:
                raise ValueError(f"Wrong input: Not existing vector name error: {using}")
            q = unit(query)
            for pid, p in candidates:
                v = p["vector"].get("dense")
                if v is not None:
                    scored.append((sum(a * b for a, b in zip(q, v)), pid))
        elif isinstance(query, dict) and "indices" in query:
            if using not in sparse_config:
                raise ValueError(f"Wrong input: Not existing vector name error: {using}")
            q = dict(zip(query["indices"], query["values"]))
            idf = {}
            if (sparse_config[using] or {}).get("modifier") == "idf":
                # Over the whole collection, as Qdrant does.
                having = [p["vector"]["sparse"] for p in collection["points"].values() if "sparse" in p["vector"]]
                total = len(having)
                for index in q:
                    df = sum(1 for s in having if index in s)
                    idf[index] = math.log((total - df + 0.5) / (df + 0.5) + 1)
            for pid, p in candidates:
                s = p["vector"].get("sparse")
                if not s:
                    continue
                common = [i for i in q if i in s]
                if common:
                    scored.append((sum(q[i] * idf.get(i, 1.0) * s[i] for i in common), pid))
        else:
            raise ValueError("the double serves dense and sparse nearest queries only")
        scored.sort(key=lambda t: (-t[0], t[1]))
        out = []
        for score, pid in scored[:limit]:
            hit = {"id": pid, "version": collection["points"][pid]["version"], "score": score}
            if request.get("with_payload"):
                hit["payload"] = collection["points"][pid]["payload"]
            out.append(hit)
        return out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--openapi", required=True)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--port-file")
    parser.add_argument("--api-key", default="")
    args = parser.parse_args()
    Handler.spec = Spec(args.openapi)
    Handler.store = Store()
    Handler.api_key = args.api_key
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    port = server.server_address[1]
    if args.port_file:
        with open(args.port_file + ".tmp", "w", encoding="utf-8") as f:
            f.write(f"{port}\n")
        import os
        os.rename(args.port_file + ".tmp", args.port_file)
    print(f"qdrant double on 127.0.0.1:{port} (OpenAPI {Handler.spec.version})", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
