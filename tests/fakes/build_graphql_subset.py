"""Derive the fake's GraphQL SDL (tests/fakes/github_subset.graphql) from GitHub's real public
schema (tests/fixtures/github/github-schema.graphql, @octokit/graphql-schema, MIT).

The fake implements only the types and fields listed in SELECTION below; everything about them
(argument lists, argument and return types, nullability, enum values, input objects) is copied
from the real schema, so any query the fake accepts is also valid against GitHub.  Fields of the
real schema that are not selected simply do not exist in the fake: a query using them fails
validation against the fake (and passes against the real schema).

Regenerate after editing SELECTION:

    python tests/fakes/build_graphql_subset.py

tests/test_fake_github.py checks that the committed SDL matches what this script produces and that
every selected field exists in the real schema with the same type.
"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent
SUBSET_PATH = HERE / "github_subset.graphql"

# type name -> fields the fake resolves.  Interfaces and unions keep only the members selected
# here.  Enums, scalars and input objects reachable from selected arguments come in whole.
SELECTION: dict[str, list[str]] = {
    "Query": ["id", "organization", "rateLimit", "repository", "repositoryOwner", "user", "viewer"],
    "RateLimit": ["cost", "limit", "nodeCount", "remaining", "resetAt", "used"],
    "Node": ["id"],
    "Actor": ["avatarUrl", "login", "resourcePath", "url"],
    "RepositoryOwner": ["avatarUrl", "id", "login", "repositories", "repository", "resourcePath", "url"],
    "UniformResourceLocatable": ["resourcePath", "url"],
    "User": ["avatarUrl", "databaseId", "id", "login", "name", "repositories", "repository", "resourcePath", "url"],
    "Organization": ["avatarUrl", "databaseId", "id", "login", "name", "repositories", "repository", "resourcePath", "url"],
    "Bot": ["avatarUrl", "databaseId", "id", "login", "resourcePath", "url"],
    "Repository": [
        "archivedAt", "branchProtectionRules", "createdAt", "databaseId", "defaultBranchRef", "deployments",
        "description", "environments", "forkCount", "id", "isArchived", "isDisabled", "isEmpty", "isFork",
        "isLocked", "isMirror", "isPrivate", "isTemplate", "latestRelease", "name", "nameWithOwner", "object",
        "owner", "parent", "primaryLanguage", "pullRequests", "pushedAt", "ref", "refs", "releases",
        "resourcePath", "rulesets", "stargazerCount", "updatedAt", "url", "viewerCanAdminister",
        "viewerPermission", "visibility",
    ],
    "RepositoryConnection": ["edges", "nodes", "pageInfo", "totalCount", "totalDiskUsage"],
    "RepositoryEdge": ["cursor", "node"],
    "PageInfo": ["endCursor", "hasNextPage", "hasPreviousPage", "startCursor"],
    "Language": ["color", "id", "name"],
    "Ref": ["associatedPullRequests", "branchProtectionRule", "id", "name", "prefix", "repository", "rules", "target"],
    "RefConnection": ["edges", "nodes", "pageInfo", "totalCount"],
    "RefEdge": ["cursor", "node"],
    "GitObject": ["abbreviatedOid", "commitResourcePath", "commitUrl", "id", "oid", "repository"],
    "Commit": [
        "abbreviatedOid", "associatedPullRequests", "author", "authoredDate", "commitResourcePath", "commitUrl",
        "committedDate", "committer", "deployments", "history", "id", "message", "messageBody", "messageHeadline",
        "oid", "parents", "repository", "resourcePath", "statusCheckRollup", "tree", "url",
    ],
    "CommitHistoryConnection": ["edges", "nodes", "pageInfo", "totalCount"],
    "CommitConnection": ["edges", "nodes", "pageInfo", "totalCount"],
    "CommitEdge": ["cursor", "node"],
    "GitActor": ["date", "email", "name", "user"],
    "StatusCheckRollup": ["commit", "id", "state"],
    "Tree": ["abbreviatedOid", "commitResourcePath", "commitUrl", "entries", "id", "oid", "repository"],
    "TreeEntry": ["extension", "isGenerated", "lineCount", "mode", "name", "object", "oid", "path", "repository", "size", "type"],
    "Blob": ["abbreviatedOid", "byteSize", "commitResourcePath", "commitUrl", "id", "isBinary", "isTruncated", "oid", "repository", "text"],
    "Tag": ["abbreviatedOid", "commitResourcePath", "commitUrl", "id", "message", "name", "oid", "repository", "tagger", "target"],
    "PullRequest": [
        "author", "baseRefName", "closed", "closedAt", "createdAt", "headRefName", "id", "isDraft", "mergeCommit",
        "merged", "mergedAt", "number", "repository", "resourcePath", "state", "title", "updatedAt", "url",
    ],
    "PullRequestConnection": ["edges", "nodes", "pageInfo", "totalCount"],
    "PullRequestEdge": ["cursor", "node"],
    "Release": [
        "author", "createdAt", "databaseId", "description", "id", "isDraft", "isLatest", "isPrerelease", "name",
        "publishedAt", "repository", "resourcePath", "tag", "tagCommit", "tagName", "updatedAt", "url",
    ],
    "ReleaseConnection": ["edges", "nodes", "pageInfo", "totalCount"],
    "ReleaseEdge": ["cursor", "node"],
    "Deployment": [
        "commit", "commitOid", "createdAt", "creator", "databaseId", "description", "environment", "id", "latestEnvironment",
        "latestStatus", "originalEnvironment", "payload", "ref", "repository", "state", "statuses", "task", "updatedAt",
    ],
    "DeploymentConnection": ["edges", "nodes", "pageInfo", "totalCount"],
    "DeploymentEdge": ["cursor", "node"],
    "DeploymentStatus": ["createdAt", "creator", "deployment", "description", "environment", "environmentUrl", "id", "logUrl", "state", "updatedAt"],
    "DeploymentStatusConnection": ["edges", "nodes", "pageInfo", "totalCount"],
    "DeploymentStatusEdge": ["cursor", "node"],
    "Environment": ["databaseId", "id", "name"],
    "EnvironmentConnection": ["edges", "nodes", "pageInfo", "totalCount"],
    "EnvironmentEdge": ["cursor", "node"],
    "BranchProtectionRule": [
        "allowsDeletions", "allowsForcePushes", "databaseId", "dismissesStaleReviews", "id", "isAdminEnforced",
        "pattern", "repository", "requiredApprovingReviewCount", "requiredStatusCheckContexts",
        "requiresApprovingReviews", "requiresCodeOwnerReviews", "requiresLinearHistory", "requiresStatusChecks",
        "requiresStrictStatusChecks",
    ],
    "BranchProtectionRuleConnection": ["edges", "nodes", "pageInfo", "totalCount"],
    "BranchProtectionRuleEdge": ["cursor", "node"],
    "RepositoryRuleset": ["conditions", "createdAt", "databaseId", "enforcement", "id", "name", "rules", "target", "updatedAt"],
    "RepositoryRulesetConnection": ["edges", "nodes", "pageInfo", "totalCount"],
    "RepositoryRulesetEdge": ["cursor", "node"],
    "RepositoryRuleConditions": ["refName"],
    "RefNameConditionTarget": ["exclude", "include"],
    "RepositoryRule": ["id", "parameters", "repositoryRuleset", "type"],
    "RepositoryRuleConnection": ["edges", "nodes", "pageInfo", "totalCount"],
    "RepositoryRuleEdge": ["cursor", "node"],
    "RuleParameters": [],  # union: members below
    "PullRequestParameters": [
        "dismissStaleReviewsOnPush", "requireCodeOwnerReview", "requireLastPushApproval",
        "requiredApprovingReviewCount", "requiredReviewThreadResolution",
    ],
    "RequiredStatusChecksParameters": ["doNotEnforceOnCreate", "requiredStatusChecks", "strictRequiredStatusChecksPolicy"],
    "StatusCheckConfiguration": ["context", "integrationId"],
}


def build_subset_sdl(real) -> str:  # noqa: ANN001  (a GraphQLSchema of GitHub's real schema)
    from graphql import (
        GraphQLEnumType,
        GraphQLInputObjectType,
        GraphQLInterfaceType,
        GraphQLObjectType,
        GraphQLScalarType,
        GraphQLUnionType,
        get_named_type,
        print_type,
    )
    from graphql.language import print_ast

    selected = set(SELECTION)
    extra: set[str] = set()  # enums, scalars, inputs

    def need(named, where: str) -> None:
        if isinstance(named, (GraphQLObjectType, GraphQLInterfaceType, GraphQLUnionType)):
            if named.name not in selected:
                raise SystemExit(f"{where} returns {named.name}, which is not in SELECTION")
            return
        if named.name in extra or named.name in ("String", "Int", "Float", "Boolean", "ID"):
            return
        extra.add(named.name)
        if isinstance(named, GraphQLInputObjectType):
            for fname, f in named.fields.items():
                need(get_named_type(f.type), f"{named.name}.{fname}")

    def sdl_type(t) -> str:
        return str(t)

    def arg_sdl(name: str, arg) -> str:
        out = f"{name}: {sdl_type(arg.type)}"
        if arg.ast_node is not None and arg.ast_node.default_value is not None:
            out += f" = {print_ast(arg.ast_node.default_value)}"
        return out

    blocks: list[str] = []
    for tname in sorted(SELECTION):
        t = real.type_map.get(tname)
        if t is None:
            raise SystemExit(f"{tname} is not in the real schema")
        if isinstance(t, GraphQLUnionType):
            members = [m.name for m in t.types if m.name in selected]
            blocks.append(f"union {tname} = {' | '.join(sorted(members))}")
            continue
        kind = "interface" if isinstance(t, GraphQLInterfaceType) else "type"
        ifaces = [i.name for i in t.interfaces if i.name in selected]
        head = f"{kind} {tname}" + (f" implements {' & '.join(sorted(ifaces))}" if ifaces else "")
        lines = [head + " {"]
        for fname in sorted(SELECTION[tname]):
            f = t.fields.get(fname)
            if f is None:
                raise SystemExit(f"{tname}.{fname} is not in the real schema")
            need(get_named_type(f.type), f"{tname}.{fname}")
            args = []
            for aname in sorted(f.args):
                a = f.args[aname]
                need(get_named_type(a.type), f"{tname}.{fname}({aname})")
                args.append(arg_sdl(aname, a))
            lines.append(f"  {fname}" + (f"({', '.join(args)})" if args else "") + f": {sdl_type(f.type)}")
        lines.append("}")
        blocks.append("\n".join(lines))
    for tname in sorted(extra):
        t = real.type_map[tname]
        if isinstance(t, GraphQLScalarType):
            blocks.append(f"scalar {tname}")
        elif isinstance(t, (GraphQLEnumType, GraphQLInputObjectType)):
            blocks.append(_strip_descriptions(print_type(t)))
    header = (
        "# GENERATED by tests/fakes/build_graphql_subset.py from GitHub's public GraphQL schema\n"
        "# (tests/fixtures/github/github-schema.graphql, npm @octokit/graphql-schema, MIT licence).\n"
        "# Do not edit by hand: edit SELECTION in the script and regenerate.\n\n"
        "schema {\n  query: Query\n}\n"
    )
    return header + "\n" + "\n\n".join(blocks) + "\n"


def _strip_descriptions(text: str) -> str:
    """Drop block-string descriptions and @deprecated directives from print_type output."""
    out, in_block = [], False
    for line in text.splitlines():
        s = line.strip()
        if s.startswith('"""'):
            if not (s.endswith('"""') and len(s) > 3):
                in_block = not in_block
            continue
        if in_block or (s.startswith('"') and s.endswith('"')):
            continue
        if not s:
            continue
        if "@deprecated" in line:
            line = line[: line.index("@deprecated")].rstrip()
        out.append(line)
    return "\n".join(out)


if __name__ == "__main__":
    import sys

    sys.path.insert(0, str(HERE.parent))
    from fakes.graphql_schema import github_schema

    SUBSET_PATH.write_text(build_subset_sdl(github_schema()), encoding="utf-8")
    print(f"wrote {SUBSET_PATH}")
