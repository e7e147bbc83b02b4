"""`reconciler agent`: continuous reconciliation from git (OpenGitOps: pulled
automatically, continuously reconciled), a client of `reconciler.api` like the CLI.

    repository.py   its own clone of the manifests' repository (the `git` command)
    history.py      every cycle in SQLite; the last good revision survives a restart
    cycle.py        one cycle: a new revision validated, planned and applied (or refused),
                    else drift observed and, per enterprise with selfHeal, healed
    notify.py       Microsoft Teams (Adaptive Cards) and webhooks, delivered in the
                    background with retries, never blocking the loop
    server.py       the HTTP surface: status page, JSON, metrics, health, the git hook
    process.py      the long-running process: the loop thread, the server thread,
                    triggers, SIGTERM/SIGINT
"""
