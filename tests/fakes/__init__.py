"""Fake servers for tests and benchmarks (real HTTP on 127.0.0.1).

- ``fakes.github``: a faithful fake GitHub (REST + GraphQL); see its module docstring.
- ``fakes.openapi``: validate JSON bodies against GitHub's official OpenAPI description.
- ``fakes.graphql_schema``: validate GraphQL documents against GitHub's real public schema.
"""

from .github import FakeGitHub, Fault, RequestRecord, generate_app_key, generate_org, replay_org
from .github_data import Org, Repo
from .graphql_schema import validate_against_github_schema

__all__ = ["FakeGitHub", "Fault", "Org", "Repo", "RequestRecord", "generate_app_key", "generate_org", "replay_org",
           "validate_against_github_schema"]
