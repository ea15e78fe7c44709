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

# fake GitLab (REST v4); see fakes/gitlab.py
from .gitlab import FakeGitLab, GitLabFault, GitLabRequest, encode_path, generate_group, replay_project  # noqa: E402
from .gitlab_data import Group as GitLabGroup  # noqa: E402
from .gitlab_data import Project as GitLabProject  # noqa: E402

__all__ += ["FakeGitLab", "GitLabFault", "GitLabGroup", "GitLabProject", "GitLabRequest", "encode_path", "generate_group",
            "replay_project"]
