#!/usr/bin/env python3
"""Real responses of the salesboost binary against the OpenAPI document.

Starts `salesboost serve` on a free loopback port (port 0, --port-file) with a
temporary data directory, makes requests as a client would (a trainee and an
admin), and for each one checks that the document has the operation, that it
documents the status that came back, that the content type is a documented
one, that the headers it marks required (WWW-Authenticate, Retry-After, Location) came, and
that the JSON body validates against the documented schema (Draft 2020-12,
the document's components resolved).

    check_responses.py SALESBOOST_BINARY OPENAPI_JSON
"""
import http.client
import json
import os
import subprocess
import sys
import tempfile
import time

import jsonschema

ADMIN_PASSWORD = "Responses-Check-Admin-9f2c"


class Server:
    def __init__(self, binary, workdir):
        self.port_file = os.path.join(workdir, "port")
        self.data_dir = os.path.join(workdir, "data")
        self.log = open(os.path.join(workdir, "server.log"), "wb")
        env = {k: v for k, v in os.environ.items() if not k.startswith("SALESBOOST_")}
        env["SALESBOOST_SECRET_ADMIN_PASSWORD"] = ADMIN_PASSWORD
        self.process = subprocess.Popen(
            [binary, "serve", "--port", "0", "--port-file", self.port_file,
             "--set", f"data.dir={self.data_dir}",
             "--set", "auth.password_hash_memory_kib=64", "--set", "auth.password_hash_iterations=1",
             "--set", "limits.login_burst=100000",
             "--set", "auth.bootstrap_admin_password=secret:admin/password"],
            stdout=self.log, stderr=subprocess.STDOUT, env=env)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"salesboost exited with {self.process.returncode} before listening")
            if os.path.exists(self.port_file) and open(self.port_file).read().strip():
                self.port = int(open(self.port_file).read().strip())
                return
            time.sleep(0.1)
        raise RuntimeError("salesboost did not report its port within 90 s")

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()

    def request(self, method, target, body=None, token=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {}
        payload = None
        if body is not None:
            payload = body if isinstance(body, bytes) else json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        if token:
            headers["Authorization"] = f"Bearer {token}"
        connection.request(method, target, body=payload, headers=headers)
        response = connection.getresponse()
        data = response.read()
        result = (response.status, {k.lower(): v for k, v in response.getheaders()}, data)
        connection.close()
        return result


class Checker:
    def __init__(self, document):
        self.document = document
        self.resolver = jsonschema.RefResolver(base_uri="", referrer=document)
        self.problems = []
        self.checked = 0

    def resolve(self, node):
        while isinstance(node, dict) and "$ref" in node:
            node = self.resolver.resolve(node["$ref"])[1]
        return node

    def check(self, name, template, method, reply):
        status, headers, body = reply
        where = f"{name}: {method.upper()} {template} -> {status}"
        operation = self.document["paths"].get(template, {}).get(method)
        if operation is None:
            self.problems.append(f"{where}: the document has no such operation")
            return None
        response = operation["responses"].get(str(status)) or operation["responses"].get("default")
        if response is None:
            self.problems.append(f"{where}: status not documented (documented: {', '.join(operation['responses'])})")
            return None
        response = self.resolve(response)
        for header, spec in response.get("headers", {}).items():
            if self.resolve(spec).get("required") and header.lower() not in headers:
                self.problems.append(f"{where}: required header {header} is missing")
        content = response.get("content")
        parsed = None
        if not content:
            if body:
                self.problems.append(f"{where}: a body came, the document has none: {body[:200]!r}")
        else:
            kind = headers.get("content-type", "")
            documented = [k for k in content if k.split(";")[0].strip() == kind.split(";")[0].strip()]
            if not documented:
                self.problems.append(f"{where}: content type {kind!r} not documented ({', '.join(content)})")
            elif kind.startswith("application/json"):
                try:
                    parsed = json.loads(body)
                except ValueError as error:
                    self.problems.append(f"{where}: not JSON: {error}")
                    return None
                schema = content[documented[0]].get("schema", {})
                validator = jsonschema.Draft202012Validator(schema, resolver=self.resolver)
                for error in validator.iter_errors(parsed):
                    path = "/".join(str(p) for p in error.absolute_path) or "(body)"
                    self.problems.append(f"{where}: {path}: {error.message[:300]}")
        self.checked += 1
        return parsed


def main(argv):
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    binary, document_path = argv
    with open(document_path, encoding="utf-8") as f:
        checker = Checker(json.load(f))
    with tempfile.TemporaryDirectory(prefix="salesboost-openapi-") as workdir:
        server = Server(binary, workdir)
        try:
            run(server, checker)
        finally:
            server.stop()
    for problem in checker.problems:
        print(f"FAIL {problem}")
    print(f"{checker.checked} responses checked against {document_path}, {len(checker.problems)} problems")
    return 1 if checker.problems or checker.checked == 0 else 0


def run(server, c):
    r = server.request
    c.check("healthz", "/healthz", "get", r("GET", "/healthz"))
    c.check("readyz", "/readyz", "get", r("GET", "/readyz"))
    c.check("version", "/api/v1/version", "get", r("GET", "/api/v1/version"))
    c.check("metrics", "/metrics", "get", r("GET", "/metrics"))
    c.check("openapi", "/openapi.json", "get", r("GET", "/openapi.json"))
    c.check("docs", "/docs", "get", r("GET", "/docs"))

    with open(os.path.join(server.data_dir, "demo-trainee.password")) as f:
        trainee_password = f.read().strip()
    login = "/api/v1/auth/login"
    c.check("wrong password", login, "post",
            r("POST", login, {"username": "trainee", "password": "not-the-password"}))
    c.check("malformed login", login, "post", r("POST", login, b"{not json"))
    session = c.check("trainee login", login, "post",
                      r("POST", login, {"username": "trainee", "password": trainee_password}))
    admin = c.check("admin login", login, "post", r("POST", login, {"username": "admin", "password": ADMIN_PASSWORD}))
    if not session or not admin:
        c.problems.append("cannot sign in; the remaining checks need tokens")
        return
    t, a = session["token"], admin["token"]

    c.check("me without token", "/api/v1/auth/me", "get", r("GET", "/api/v1/auth/me"))
    c.check("me with a bad token", "/api/v1/auth/me", "get", r("GET", "/api/v1/auth/me", token="not.a.token"))
    c.check("me", "/api/v1/auth/me", "get", r("GET", "/api/v1/auth/me", token=t))

    courses = c.check("courses", "/api/v1/courses", "get", r("GET", "/api/v1/courses", token=t))
    course = courses["courses"][0]["id"] if courses and courses["courses"] else "card-upgrade"
    c.check("scenarios without course", "/api/v1/scenarios", "get", r("GET", "/api/v1/scenarios", token=t))
    c.check("scenarios of an unknown course", "/api/v1/scenarios", "get",
            r("GET", "/api/v1/scenarios?course_id=no-such-course", token=t))
    scenarios = c.check("scenarios", "/api/v1/scenarios", "get", r("GET", f"/api/v1/scenarios?course_id={course}", token=t))
    scenario = scenarios["scenarios"][0]["id"] if scenarios and scenarios["scenarios"] else "x"
    c.check("personas", "/api/v1/personas", "get", r("GET", f"/api/v1/personas?scenario_id={scenario}", token=t))
    rubric = f"/api/v1/scenarios/{scenario}/rubric"
    stored = c.check("rubric", "/api/v1/scenarios/{id}/rubric", "get", r("GET", rubric, token=t))
    c.check("rubric in English", "/api/v1/scenarios/{id}/rubric", "get", r("GET", rubric + "?language=en", token=t))
    c.check("rubric in a third language", "/api/v1/scenarios/{id}/rubric", "get", r("GET", rubric + "?language=fr", token=t))
    c.check("rubric put by a trainee", "/api/v1/scenarios/{id}/rubric", "put", r("PUT", rubric, stored or {}, token=t))
    c.check("rubric put back", "/api/v1/scenarios/{id}/rubric", "put", r("PUT", rubric, stored or {}, token=a))
    c.check("invalid rubric", "/api/v1/scenarios/{id}/rubric", "put",
            r("PUT", rubric, {"criteria": [{"id": "x", "weight": -1}]}, token=a))

    c.check("session with a bad body", "/api/v1/sessions", "post", r("POST", "/api/v1/sessions", {"scenario_id": 7}, token=t))
    c.check("session of an unknown scenario", "/api/v1/sessions", "post",
            r("POST", "/api/v1/sessions", {"scenario_id": "no-such-scenario"}, token=t))
    started = c.check("session", "/api/v1/sessions", "post",
                      r("POST", "/api/v1/sessions", {"scenario_id": scenario, "language": "en"}, token=t))
    c.check("sessions", "/api/v1/sessions", "get", r("GET", "/api/v1/sessions?page=1&page_size=5", token=t))
    c.check("sessions, bad page size", "/api/v1/sessions", "get", r("GET", "/api/v1/sessions?page_size=0", token=t))
    c.check("unknown session", "/api/v1/sessions/{id}", "get", r("GET", "/api/v1/sessions/no-such-session", token=t))
    if started:
        s = f"/api/v1/sessions/{started['id']}"
        c.check("session by id", "/api/v1/sessions/{id}", "get", r("GET", s, token=t))
        c.check("events", "/api/v1/sessions/{id}/events", "get", r("GET", s + "/events?after_seq=0", token=t))
        c.check("report while active", "/api/v1/sessions/{id}/report", "get", r("GET", s + "/report", token=t))
        c.check("end", "/api/v1/sessions/{id}/end", "post", r("POST", s + "/end", token=t))
        c.check("end again", "/api/v1/sessions/{id}/end", "post", r("POST", s + "/end", token=t))
        c.check("report", "/api/v1/sessions/{id}/report", "get", r("GET", s + "/report", token=t))
        c.check("events after the end", "/api/v1/sessions/{id}/events", "get", r("GET", s + "/events", token=t))

    c.check("classify", "/api/v1/classify", "post",
            r("POST", "/api/v1/classify", {"model": "customer", "text": "How much does it cost?"}, token=t))
    c.check("classify, unknown model", "/api/v1/classify", "post",
            r("POST", "/api/v1/classify", {"model": "weather", "text": "sunny"}, token=t))
    c.check("assist", "/api/v1/assist", "post",
            r("POST", "/api/v1/assist", {"customer_message": "The annual fee is too high.", "course_id": course}, token=t))
    c.check("assist with both scopes", "/api/v1/assist", "post",
            r("POST", "/api/v1/assist", {"customer_message": "Hi", "course_id": course, "collection": "x"}, token=t))
    c.check("search", "/api/v1/knowledge/search", "post",
            r("POST", "/api/v1/knowledge/search", {"query": "annual fee", "k": 3}, token=t))

    c.check("team as a trainee", "/api/v1/team", "get", r("GET", "/api/v1/team", token=t))
    c.check("team", "/api/v1/team", "get", r("GET", "/api/v1/team?language=zh", token=a))
    c.check("team, bad window", "/api/v1/team", "get", r("GET", "/api/v1/team?days=0", token=a))
    c.check("team csv", "/api/v1/team.csv", "get", r("GET", "/api/v1/team.csv?days=30", token=a))
    c.check("team csv as a trainee", "/api/v1/team.csv", "get", r("GET", "/api/v1/team.csv", token=t))
    c.check("users as a trainee", "/api/v1/users", "get", r("GET", "/api/v1/users", token=t))
    c.check("users", "/api/v1/users", "get", r("GET", "/api/v1/users", token=a))
    created = c.check("user created", "/api/v1/users", "post",
                      r("POST", "/api/v1/users", {"username": "responses-check", "display_name": "Check"}, token=a))
    c.check("user again", "/api/v1/users", "post", r("POST", "/api/v1/users", {"username": "responses-check"}, token=a))
    if created:
        u = f"/api/v1/users/{created['id']}"
        c.check("password reset", "/api/v1/users/{id}/password", "post", r("POST", u + "/password", token=a))
        c.check("user deleted", "/api/v1/users/{id}", "delete", r("DELETE", u, token=a))
        c.check("user deleted again", "/api/v1/users/{id}", "delete", r("DELETE", u, token=a))
    c.check("audit", "/api/v1/audit", "get", r("GET", "/api/v1/audit?limit=5", token=a))
    c.check("audit, bad limit", "/api/v1/audit", "get", r("GET", "/api/v1/audit?limit=0", token=a))
    documents = c.check("documents", "/api/v1/knowledge/documents", "get", r("GET", "/api/v1/knowledge/documents", token=a))
    if documents and documents["documents"]:
        d = documents["documents"][0]["id"]
        c.check("document", "/api/v1/knowledge/documents/{id}", "get", r("GET", f"/api/v1/knowledge/documents/{d}", token=a))
    c.check("unknown job", "/api/v1/knowledge/jobs/{id}", "get", r("GET", "/api/v1/knowledge/jobs/no-such-job", token=a))
    c.check("upload as a trainee", "/api/v1/knowledge/documents", "post",
            r("POST", "/api/v1/knowledge/documents", b"", token=t))
    c.check("password change, wrong current", "/api/v1/auth/password", "post",
            r("POST", "/api/v1/auth/password", {"current_password": "wrong", "new_password": "Another-Long-Passw0rd"}, token=t))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
