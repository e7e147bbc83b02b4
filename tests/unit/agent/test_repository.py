"""The agent's clone, kept with the real git command against a local remote."""

from __future__ import annotations

import pathlib

import pytest

from reconciler.agent.repository import GitError, Repository, public, worktree
from tests.unit.agent.gitrepo import Remote, git


@pytest.fixture
def remote(tmp_path: pathlib.Path) -> Remote:
    found = Remote(tmp_path / "origin")
    found.write("enterprises/a.yaml", "first\n")
    return found


def test_the_clone_follows_the_branch_and_checks_out_revisions(
    remote: Remote, tmp_path: pathlib.Path
) -> None:
    first = remote.commit("First manifests")
    repo = Repository(str(remote.bare), tmp_path / "state" / "repo", "main")
    repo.ensure()
    assert not repo.checked_out()  # a new clone has no files yet
    assert repo.fetch() == first
    repo.checkout(first)
    assert repo.checked_out()
    assert (repo.directory / "enterprises" / "a.yaml").read_text() == "first\n"
    assert repo.subject(first) == "First manifests"

    remote.write("enterprises/a.yaml", "second\n")
    second = remote.commit("Second manifests")
    assert repo.fetch() == second
    assert repo.resolve(second[:10]) == second
    repo.checkout(second)
    assert (repo.directory / "enterprises" / "a.yaml").read_text() == "second\n"
    (repo.directory / "untracked.db").write_text("the agent's own")
    repo.checkout(first)  # back to a revision: tracked files as they were, the rest kept
    assert (repo.directory / "enterprises" / "a.yaml").read_text() == "first\n"
    assert (repo.directory / "untracked.db").read_text() == "the agent's own"

    repo.ensure()  # the clone is there: reused
    assert repo.fetch() == second


def test_git_failures_name_what_failed_and_never_a_credential(tmp_path: pathlib.Path) -> None:
    source = "https://ci-bot:s3cret-t0ken@127.0.0.1:9/acme/sms.git"
    repo = Repository(source, tmp_path / "repo", "main")
    with pytest.raises(GitError) as failed:
        repo.ensure()
    message = str(failed.value)
    assert message.startswith("cannot clone https://127.0.0.1:9/acme/sms.git (branch main): "), (
        message
    )
    assert "s3cret" not in message and "ci-bot" not in message
    assert repr(repo) == "Repository('https://127.0.0.1:9/acme/sms.git', branch='main')"


def test_public_drops_any_user_or_token() -> None:
    assert public("https://x-access-token:ghs_abc@github.com/a/b.git") == (
        "https://github.com/a/b.git"
    )
    assert public("https://ghp_abc@github.com:8443/a/b.git") == "https://github.com:8443/a/b.git"
    assert public("git@github.com:a/b.git") == "git@github.com:a/b.git"  # scp-like: no secret
    assert public("/srv/git/sms.git") == "/srv/git/sms.git"


def test_a_worktree_holds_an_earlier_revision_and_goes_away(remote: Remote) -> None:
    first = remote.commit("First")
    remote.write("enterprises/a.yaml", "second\n")
    remote.commit("Second")
    manifests = remote.work / "enterprises"
    with worktree([manifests], first[:8]) as (paths, commit):
        assert commit == first
        [there] = paths
        assert there.name == "enterprises" and there != manifests
        assert (there / "a.yaml").read_text() == "first\n"
        assert git(there, "rev-parse", "HEAD") == first  # reports name the commit
    assert not there.exists()
    assert len(git(remote.work, "worktree", "list").splitlines()) == 1
    assert (manifests / "a.yaml").read_text() == "second\n"  # the work tree untouched


def test_a_worktree_refuses_unknown_revisions_and_paths_outside(
    remote: Remote, tmp_path: pathlib.Path
) -> None:
    remote.commit("First")
    unknown = worktree([remote.work], "deadbeef")
    with pytest.raises(GitError, match=r"^no commit 'deadbeef' in the repository at "):
        unknown.__enter__()
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    elsewhere = worktree([outside], "HEAD")
    with pytest.raises(GitError, match="is not in a git work tree"):
        elsewhere.__enter__()
