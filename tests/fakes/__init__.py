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

# fake Jenkins (Remote Access API); see fakes/jenkins.py
from .jenkins import FakeJenkins, JenkinsFault, JenkinsRequest, parse_tree  # noqa: E402
from .jenkins_data import Job as JenkinsJob  # noqa: E402
from .jenkins_data import Server as JenkinsServer  # noqa: E402
from .jenkins_data import generate_server as generate_jenkins_server  # noqa: E402
from .jenkins_data import replay_server as replay_jenkins_server  # noqa: E402

__all__ += ["FakeJenkins", "JenkinsFault", "JenkinsJob", "JenkinsRequest", "JenkinsServer", "generate_jenkins_server", "parse_tree",
            "replay_jenkins_server"]
