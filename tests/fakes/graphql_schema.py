"""Validate GraphQL documents against GitHub's REAL public schema.

The schema is tests/fixtures/github/github-schema.graphql, copied from the npm package
``@octokit/graphql-schema`` (MIT).  GitHub's published SDL is not strictly valid by graphql-core's
rules (a few duplicated enterprise fields, deprecated implementations of non-deprecated interface
fields), so it is built with ``assume_valid_sdl`` and the schema self-check is skipped; documents
are still parsed and validated with every standard rule.

    errors = validate_against_github_schema(query)            # [] when the query is valid
    errors = validate_against_github_schema(query, {"o": 1})  # also coerces variable values
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

REAL_SCHEMA_PATH = Path(__file__).resolve().parent.parent / "fixtures" / "github" / "github-schema.graphql"


@functools.lru_cache(maxsize=1)
def github_schema():
    """GitHub's real schema as a graphql-core GraphQLSchema (about 2-3 s to build; cached)."""
    from graphql import build_schema

    schema = build_schema(REAL_SCHEMA_PATH.read_text(encoding="utf-8"), assume_valid_sdl=True)
    # skip the schema self-validation (see module docstring); document validation is unaffected
    schema._validation_errors = []  # noqa: SLF001
    return schema


def validate_against_github_schema(query: str, variables: dict[str, Any] | None = None) -> list[str]:
    """Every error GitHub's schema finds in ``query`` (syntax, unknown fields or arguments, wrong
    argument types, fragments on impossible types, unused or undefined variables...).  With
    ``variables`` the values are coerced against the declared variable types too."""
    from graphql import GraphQLError, parse, validate
    from graphql.execution.values import get_variable_values

    schema = github_schema()
    try:
        document = parse(query)
    except GraphQLError as exc:
        return [f"syntax: {exc.message}"]
    errors = [e.message for e in validate(schema, document)]
    if errors or variables is None:
        return errors
    from graphql.language import OperationDefinitionNode

    for definition in document.definitions:
        if isinstance(definition, OperationDefinitionNode):
            coerced = get_variable_values(schema, definition.variable_definitions or [], variables)
            if isinstance(coerced, list):
                errors.extend(e.message for e in coerced)
    return errors
