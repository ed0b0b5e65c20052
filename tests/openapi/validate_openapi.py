#!/usr/bin/env python3
"""Checks an OpenAPI 3.1 document: the official OAS 3.1 JSON Schema
(oas-3.1-schema.json, Draft 2020-12), then what that schema leaves out:
every local $ref resolves, every Schema Object is a valid Draft 2020-12
schema, operationIds are unique.

    validate_openapi.py DOCUMENT OAS_SCHEMA                  exit 0 when valid, 1 when not
    validate_openapi.py --expect-invalid DOCUMENT OAS_SCHEMA exit 0 when invalid, 1 when valid

Exit 2 when the inputs cannot be read or jsonschema is missing (Debian's
python3-jsonschema; scripts/install-deps.sh installs it).
"""
import json
import sys

try:
    import jsonschema
except ImportError:
    print("validate_openapi: python3-jsonschema is not installed (scripts/install-deps.sh)", file=sys.stderr)
    sys.exit(2)


def resolve_pointer(document, ref):
    node = document
    for token in ref[2:].split("/") if ref != "#" else []:
        token = token.replace("~1", "/").replace("~0", "~")
        if isinstance(node, list):
            node = node[int(token)]
        else:
            node = node[token]
    return node


def local_refs(node, path="#"):
    """Every local $ref in the document, with where it is."""
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#"):
            yield path, ref
        for key, value in node.items():
            yield from local_refs(value, f"{path}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from local_refs(value, f"{path}/{i}")


def schema_objects(document):
    """(path, Schema Object) for the component schemas, parameters, bodies and responses."""
    for name, schema in document.get("components", {}).get("schemas", {}).items():
        yield f"#/components/schemas/{name}", schema

    def media(content, where):
        for kind, entry in (content or {}).items():
            if "schema" in entry:
                yield f"{where}/content/{kind}/schema", entry["schema"]

    for path, item in document.get("paths", {}).items():
        for method, operation in item.items():
            if not isinstance(operation, dict):
                continue
            where = f"#/paths/{path}/{method}"
            for i, parameter in enumerate(operation.get("parameters", [])):
                if "schema" in parameter:
                    yield f"{where}/parameters/{i}/schema", parameter["schema"]
            yield from media(operation.get("requestBody", {}).get("content"), f"{where}/requestBody")
            for status, response in operation.get("responses", {}).items():
                yield from media(response.get("content"), f"{where}/responses/{status}")


def problems(document, oas_schema):
    validator = jsonschema.Draft202012Validator(oas_schema)
    for error in sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path)):
        where = "/".join(str(p) for p in error.absolute_path) or "(root)"
        yield f"OAS 3.1 schema: {where}: {error.message}"
    if not isinstance(document, dict):
        return
    for where, ref in local_refs(document):
        try:
            resolve_pointer(document, ref)
        except (KeyError, IndexError, ValueError, TypeError):
            yield f"{where}: $ref {ref} does not resolve"
    for where, schema in schema_objects(document):
        try:
            jsonschema.Draft202012Validator.check_schema(schema)
        except jsonschema.exceptions.SchemaError as error:
            yield f"{where}: not a valid JSON Schema: {error.message}"
    seen = {}
    for path, item in document.get("paths", {}).items():
        for method, operation in item.items():
            if isinstance(operation, dict) and "operationId" in operation:
                op_id = operation["operationId"]
                if op_id in seen:
                    yield f"operationId {op_id} of {method.upper()} {path} is also {seen[op_id]}'s"
                seen[op_id] = f"{method.upper()} {path}"


def main(argv):
    expect_invalid = "--expect-invalid" in argv
    args = [a for a in argv if a != "--expect-invalid"]
    if len(args) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        with open(args[0], encoding="utf-8") as f:
            document = json.load(f)
        with open(args[1], encoding="utf-8") as f:
            oas_schema = json.load(f)
    except (OSError, ValueError) as error:
        print(f"validate_openapi: {error}", file=sys.stderr)
        return 2
    found = list(problems(document, oas_schema))
    for line in found:
        print(f"{args[0]}: {line}")
    if expect_invalid:
        if found:
            print(f"{args[0]}: invalid, as expected ({len(found)} problems)")
            return 0
        print(f"{args[0]}: expected to be invalid, but it passed every check")
        return 1
    if not found:
        operations = sum(1 for item in document["paths"].values() for key in item if key != "parameters")
        print(f"{args[0]}: valid OpenAPI {document['openapi']} ({operations} operations)")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
