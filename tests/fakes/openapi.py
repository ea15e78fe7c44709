"""Validate JSON bodies against GitHub's official OpenAPI description (the subset copied into
tests/fixtures/github/openapi-subset.json, from @octokit/openapi 23.0.2, MIT).

OpenAPI 3.0 schemas are not quite JSON Schema: ``nullable: true`` is turned into a ``null`` type
(or an ``anyOf`` with ``null`` around a ``$ref``/``allOf``/``oneOf``), ``discriminator`` and the
``x-*`` extensions are ignored, and ``date-time`` / ``uri`` formats are checked with small
stdlib checks.  ``$ref`` into ``#/components/...`` resolves against the whole document.

    errors = response_errors("GET", "/repos/{owner}/{repo}", 200, body)
"""

from __future__ import annotations

import copy
import functools
import json
import re
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "github"
OPENAPI_PATH = FIXTURES / "openapi-subset.json"

_DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")


@functools.lru_cache(maxsize=1)
def load_spec() -> dict[str, Any]:
    return json.loads(OPENAPI_PATH.read_text(encoding="utf-8"))


def _convert(node: Any) -> Any:
    """OpenAPI 3.0 schema -> JSON Schema 2020-12 (recursively)."""
    if isinstance(node, list):
        return [_convert(x) for x in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key in ("example", "examples", "discriminator", "xml", "externalDocs") or key.startswith("x-"):
            continue
        if key == "properties" and isinstance(value, dict):
            out[key] = {name: _convert(sub) for name, sub in value.items()}
        elif key in ("enum", "required", "default"):
            out[key] = copy.deepcopy(value)
        else:
            out[key] = _convert(value)
    if out.pop("nullable", False):
        if "type" in out:
            out["type"] = [out["type"], "null"] if isinstance(out["type"], str) else [*out["type"], "null"]
            if "enum" in out and None not in out["enum"]:
                out["enum"] = [*out["enum"], None]
        elif any(k in out for k in ("$ref", "allOf", "oneOf", "anyOf")):
            out = {"anyOf": [{"type": "null"}, out]}
    return out


@functools.lru_cache(maxsize=1)
def _components() -> dict[str, Any]:
    return _convert(load_spec()["components"])


def _deref(node: dict[str, Any]) -> dict[str, Any]:
    spec = load_spec()
    while "$ref" in node:
        ref = node["$ref"]
        assert ref.startswith("#/"), ref
        target: Any = spec
        for part in ref[2:].split("/"):
            target = target[part]
        node = target
    return node


def response_schema(method: str, template: str, status: int | str) -> dict[str, Any] | None:
    """The JSON schema of a documented response, or None if the status has no JSON body."""
    op = load_spec()["paths"][template][method.lower()]
    responses = op["responses"]
    resp = responses.get(str(status))
    if resp is None:
        raise KeyError(f"{method} {template}: status {status} is not documented (has {sorted(responses)})")
    resp = _deref(resp)
    content = resp.get("content") or {}
    media = content.get("application/json")
    if media is None:
        return None
    return media["schema"]


def _format_checker():
    from jsonschema import FormatChecker

    checker = FormatChecker(formats=())

    @checker.checks("date-time")
    def _dt(value: object) -> bool:  # noqa: ANN001
        return not isinstance(value, str) or bool(_DATE_TIME.match(value))

    @checker.checks("uri")
    def _uri(value: object) -> bool:  # noqa: ANN001
        return not isinstance(value, str) or bool(re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", value))

    return checker


@functools.lru_cache(maxsize=1)
def _validator_class():
    """Draft 2020-12, with ``$ref`` results memoised: GitHub bodies repeat the same sub-objects (the
    repository and actor inside every workflow run...), and a ``$ref`` into
    ``#/components/schemas`` gives the same verdict for the same instance wherever it appears."""
    from jsonschema import Draft202012Validator, validators

    original = Draft202012Validator.VALIDATORS["$ref"]
    known_valid: set[tuple[str, str]] = set()

    def ref(validator, ref_value, instance, schema):  # noqa: ANN001
        if not isinstance(instance, dict):
            yield from original(validator, ref_value, instance, schema)
            return
        key = (ref_value, json.dumps(instance, sort_keys=True))
        if key in known_valid:
            return
        errors = list(original(validator, ref_value, instance, schema))
        if not errors:
            known_valid.add(key)
        yield from errors

    return validators.extend(Draft202012Validator, {"$ref": ref})


@functools.lru_cache(maxsize=256)
def _validator(method: str, template: str, status: str):
    schema = response_schema(method, template, status)
    if schema is None:
        return None
    root = {**_convert(schema), "components": _components()}
    return _validator_class()(root, format_checker=_format_checker())


def response_errors(method: str, template: str, status: int | str, body: Any) -> list[str]:
    """Every way ``body`` breaks the documented response schema (empty list when it conforms)."""
    validator = _validator(method.upper(), template, str(status))
    if validator is None:
        return [] if body in (None, b"", "") else [f"status {status} documents no JSON body"]
    errors = sorted(validator.iter_errors(body), key=lambda e: list(e.absolute_path))
    return [f"{'/'.join(map(str, e.absolute_path)) or '<root>'}: {e.message[:300]}" for e in errors]


def schema_errors(component: str, instance: Any) -> list[str]:
    """Validate against one ``#/components/schemas/<component>``."""
    root = {"$ref": f"#/components/schemas/{component}", "components": _components()}
    v = _validator_class()(root, format_checker=_format_checker())
    return [f"{'/'.join(map(str, e.absolute_path)) or '<root>'}: {e.message[:300]}" for e in v.iter_errors(instance)]


@functools.lru_cache(maxsize=1)
def _templates() -> list[tuple[re.Pattern[str], str]]:
    out = []
    for template in load_spec()["paths"]:
        pattern = "^" + re.sub(r"\\\{(\w+)\\\}", lambda m: "(?P<%s>.+)" % m.group(1) if m.group(1) == "path" else "(?P<%s>[^/]+)" % m.group(1), re.escape(template)) + "$"
        out.append((re.compile(pattern), template))
    # most specific (longest literal) first, so /actions/workflows/{id}/runs beats shorter ones
    out.sort(key=lambda t: -len(re.sub(r"\{\w+\}", "", t[1])))
    return out


def match_template(path: str) -> str | None:
    """The OpenAPI path template a concrete request path (no query, no /api/v3 prefix) belongs to."""
    for pattern, template in _templates():
        if pattern.match(path):
            return template
    return None


def documented_operations() -> list[tuple[str, str]]:
    return [(m.upper(), p) for p, ops in load_spec()["paths"].items() for m in ops if m in ("get", "post", "put", "patch", "delete")]
