"""YAML loading that remembers line numbers, so errors can say `file:line`."""

from __future__ import annotations

from typing import Any

import yaml


class LineDict(dict):
    """A mapping that knows the line of itself and of each of its keys (1-based)."""

    line: int = 0
    key_lines: dict[Any, int]


class LineList(list):
    line: int = 0
    item_lines: list[int]


# libyaml's parser is about ten times faster and still gives every node its line.
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _LineLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    pass


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    out = LineDict()
    out.line = node.start_mark.line + 1
    out.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        out[key] = loader.construct_object(value_node, deep=True)
        out.key_lines[key] = key_node.start_mark.line + 1
    return out


def _construct_sequence(loader: _LineLoader, node: yaml.SequenceNode) -> LineList:
    out = LineList(loader.construct_object(child, deep=True) for child in node.value)
    out.line = node.start_mark.line + 1
    out.item_lines = [child.start_mark.line + 1 for child in node.value]
    return out


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


def load_with_lines(text: str) -> Any:
    """Parse YAML text; mappings and lists carry line numbers. Raises `yaml.YAMLError`."""
    return yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a SafeLoader subclass


def line_of(data: Any, loc: tuple[Any, ...]) -> int | None:
    """The line of the last key (or list item) along `loc` (e.g. a pydantic error location) that exists."""
    best = getattr(data, "line", None) or None
    node = data
    for part in loc:
        if isinstance(node, LineDict) and part in node:
            best = node.key_lines.get(part, best)
            node = node[part]
        elif isinstance(node, LineList) and isinstance(part, int) and 0 <= part < len(node):
            best = node.item_lines[part]
            node = node[part]
        else:
            break
    return best


def yaml_error_line(exc: yaml.YAMLError) -> int | None:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    return mark.line + 1 if mark is not None else None


def yaml_error_reason(exc: yaml.YAMLError) -> str:
    problem = getattr(exc, "problem", None)
    context = getattr(exc, "context", None)
    reason = " ".join(p for p in (context, problem) if p) or str(exc).splitlines()[0]
    return f"invalid YAML: {reason}"


class Tagged:
    """A node with a custom tag the scanner does not interpret (GitLab `!reference`, CloudFormation `!Ref`)."""

    def __init__(self, tag: str, value: Any) -> None:
        self.tag = tag
        self.value = value

    def __repr__(self) -> str:
        return f"Tagged({self.tag!r}, {self.value!r})"

    def __str__(self) -> str:
        return f"{self.tag} {self.value}"


class _LenientLoader(_LineLoader):
    """Line-aware and tolerant of custom tags; keys like `on:` stay strings (not YAML 1.1 booleans)."""


def _construct_unknown(loader: _LenientLoader, tag_suffix: str, node: yaml.Node) -> Tagged:
    if isinstance(node, yaml.MappingNode):
        value: Any = _construct_mapping(loader, node)
    elif isinstance(node, yaml.SequenceNode):
        value = _construct_sequence(loader, node)
    else:
        value = loader.construct_scalar(node)
    return Tagged("!" + tag_suffix, value)


_LenientLoader.add_multi_constructor("!", _construct_unknown)
# YAML 1.1 reads on/off/yes/no as booleans; CI files mean the strings (`on:` in GitHub Actions).
_LenientLoader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:bool"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_LenientLoader.add_implicit_resolver("tag:yaml.org,2002:bool", __import__("re").compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))


def load_lenient(text: str) -> Any:
    """Parse one YAML document of a scanned repository (line-aware, custom tags kept as `Tagged`)."""
    return yaml.load(text, Loader=_LenientLoader)  # noqa: S506 - a SafeLoader subclass


def load_all_lenient(text: str) -> list[Any]:
    """Parse every document of a multi-document YAML file (Kubernetes manifests)."""
    return [d for d in yaml.load_all(text, Loader=_LenientLoader) if d is not None]  # noqa: S506
