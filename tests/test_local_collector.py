"""The local collector and the repository-files abstraction."""

from __future__ import annotations

import json
import os

import pytest

from collectors.local import LocalCollector, parse_remote
from collectors.repofiles import MAX_FILE_BYTES, LocalRepoFiles, MemoryRepoFiles, is_evidence_path
from scanner.cli import main
from scanner.errors import UsageError


def keys(collection):
    return {e.key for e in collection.evidence}


def test_git_checkout_uses_ls_files_and_respects_gitignore(make_repo):
    root = make_repo({".gitignore": "secret/\n", "secret/Makefile": "all:\n\techo\n", "src/a.py": "x = 1\n"})
    (root / "untracked.txt").write_text("new\n")
    files = LocalRepoFiles(root)
    paths = files.all_paths()
    assert files.git is True
    assert "src/a.py" in paths and "untracked.txt" in paths
    assert not any(p.startswith("secret/") for p in paths)


def test_non_git_walk_does_not_follow_links_out_of_the_tree(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "Makefile").write_text("deploy:\n\tkubectl apply -f x\n")
    root = tmp_path / "tree"
    root.mkdir()
    (root / "a.txt").write_text("hello\n")
    os.symlink(outside / "Makefile", root / "Makefile")
    os.symlink(outside, root / "linked-dir")
    files = LocalRepoFiles(root)
    assert files.git is False
    assert "Makefile" in files.all_paths()
    assert not any(p.startswith("linked-dir/") for p in files.all_paths())
    assert files.read_text("Makefile") is None
    assert files.read_text("a.txt") == "hello\n"


def test_large_binary_and_missing_files_are_not_read(tmp_path):
    root = tmp_path / "r"
    root.mkdir()
    (root / "big.yml").write_text("a: 1\n" * (MAX_FILE_BYTES // 4))
    (root / "bin.dat").write_bytes(b"\x00\x01\x02")
    files = LocalRepoFiles(root)
    assert files.read_text("big.yml") is None
    assert files.read_text("bin.dat") is None
    assert files.read_text("nope") is None


def test_each_file_is_read_once():
    files = MemoryRepoFiles({"a": "1", "b": "2"})
    for _ in range(3):
        files.read_text("a")
        files.read_text("b")
    assert files.reads == 2


@pytest.mark.parametrize(
    ("path", "evidence"),
    [
        (".github/workflows/ci.yml", True),
        ("docs/.github/workflows/ci.yml", False),
        ("examples/app/Jenkinsfile", False),
        ("node_modules/x/package.json", False),
        ("vendor/github.com/x/go.mod", False),
        ("internal/testdata/.gitlab-ci.yml", False),
        ("sample-app/Dockerfile", False),
        ("charts/app/templates/deployment.yaml", True),
        ("tests/test_x.py", True),
        ("wagtail/project_template/Dockerfile", False),
        ("{{cookiecutter.project_slug}}/.github/workflows/ci.yml", False),
        ("templates/ci.yml", True),
    ],
)
def test_vendored_fixture_example_and_docs_folders_are_not_evidence(path, evidence):
    assert is_evidence_path(path) is evidence


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("git@github.com:acme/widgets.git", ("github.com", "acme/widgets")),
        ("https://github.com/acme/widgets", ("github.com", "acme/widgets")),
        ("ssh://git@gitlab.example.com:2222/group/sub/proj.git", ("gitlab.example.com", "group/sub/proj")),
        ("https://user:tok@gitlab.com/g/p.git/", ("gitlab.com", "g/p")),
    ],
)
def test_remote_urls_are_parsed(url, expected):
    assert parse_remote(url) == expected


def test_credentials_in_the_remote_never_reach_the_report(make_repo, capsys):
    root = make_repo({"Makefile": "all:\n\ttrue\n"}, remote="https://ci-bot:ghp_S3CRETtoken123@github.com/acme/widgets.git")
    assert main(["scan", str(root), "-f", "json"]) == 0
    out = capsys.readouterr().out
    assert "ghp_S3CRETtoken123" not in out and "ci-bot" not in out
    assert json.loads(out)["target"]["url"] == "https://github.com/acme/widgets.git"


def test_version_control_and_found_none_defaults(make_repo, tmp_path):
    root = make_repo({"README.md": "hi\n"})
    c = LocalCollector().collect(str(root))
    vc = [e for e in c.evidence if e.key == "repo.version_control"]
    assert vc[0].value == ["git"] and vc[0].locator == ".git"
    none = next(e for e in c.evidence if e.key == "ci.systems")
    assert none.value == [] and none.locator == "." and "none found" in none.observed
    plain = tmp_path / "plain"
    plain.mkdir()
    (plain / "README.md").write_text("hi\n")
    c2 = LocalCollector().collect(str(plain))
    assert "repo.version_control" not in keys(c2)
    assert any(w.code == "not-a-checkout" for w in c2.warnings)


def test_bad_paths_are_usage_errors(tmp_path):
    with pytest.raises(UsageError, match="no such directory"):
        LocalCollector().collect(str(tmp_path / "missing"))
    f = tmp_path / "file.txt"
    f.write_text("x")
    with pytest.raises(UsageError, match="not a directory"):
        LocalCollector().collect(str(f))


def test_repository_attestations_and_a_broken_maturity_toml(make_repo):
    good = make_repo({".maturity.toml": '[[attestations]]\npractice = "culture.2.agile"\nstatus = "met"\nby = "Ann"\ndate = 2026-02-01\n'})
    c = LocalCollector().collect(str(good))
    assert [(a.practice, loc) for a, loc in c.attestations] == [("culture.2.agile", ".maturity.toml:2")]
    broken = make_repo({".maturity.toml": "[[attestations]\n"})
    c2 = LocalCollector().collect(str(broken))
    assert c2.attestations == [] and any(w.code == "bad-attestation-file" for w in c2.warnings)


def test_attested_practice_shows_in_the_report(make_repo, capsys):
    root = make_repo({".maturity.toml": '[[attestations]]\npractice = "culture.2.agile"\nstatus = "met"\nby = "Ann"\ndate = 2026-02-01\nnote = "scrum"\n'})
    assert main(["scan", str(root), "-f", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    agile = next(p for p in doc["practices"] if p["id"] == "culture.2.agile")
    assert agile["status"] == "attested"
    ev = next(e for e in doc["evidence"] if e["id"] == agile["evidence"][0])
    assert ev["source"] == "attestation" and ev["locator"] == ".maturity.toml:2"


def test_a_failing_detector_costs_a_warning_not_the_scan(make_repo, monkeypatch):
    from collectors.detectors import registry

    class Boom:
        name = "boom"
        provides = frozenset({"iac.tools"})

        def detect(self, ctx):
            raise RuntimeError("odd repository")

    monkeypatch.setattr(registry, "DETECTORS", (*registry.DETECTORS, Boom()))
    import collectors.interface as ci

    monkeypatch.setattr(ci, "DETECTORS", registry.DETECTORS)
    c = LocalCollector().collect(str(make_repo({"a": "b"})))
    assert any(w.code == "detector-error" and "odd repository" in w.message for w in c.warnings)
    assert "ci.systems" in keys(c)
