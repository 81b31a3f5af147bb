"""The workspace's commands: user (add, list, remove, passwd, role), audit (log, verify),
serve."""

from __future__ import annotations

import json
import os
import sys
from typing import Any

import click

from harmledger.audit import login_name, verify
from harmledger.cli.options import db_option, existing
from harmledger.config import SERVE_DB
from harmledger.review import accounts
from harmledger.review.roles import ROLES
from harmledger.store import audit as audit_store
from harmledger.store.ledger import Ledger


def _password(stdin: bool, name: str) -> str:
    if stdin:
        line = sys.stdin.readline()
        return line.rstrip("\r\n")
    return str(click.prompt(f"Password for {name}", hide_input=True, confirmation_prompt=True))


@click.group()
def user() -> None:
    """Manage the workspace's users (admin, analyst, viewer).

    Example: harmledger user add maria --role analyst --db ledger.db
    """


@user.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(ROLES), required=True, help="What the user may do.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@db_option
def user_add(name: str, role: str, password_stdin: bool, db: str) -> None:
    """Add a user. Admins manage users; analysts review, edit and see protected words;
    viewers read, with protected words masked.

    Example: printf '%s\\n' "$PW" | harmledger user add maria --role analyst --password-stdin
    """
    password = _password(password_stdin, name)
    with Ledger(db) as ledger:
        accounts.add_user(ledger, name, role, password, by=login_name(), via="cli")
    click.echo(f"user {name} added ({role})", err=True)


@user.command("list")
@db_option
@click.option("--json", "as_json", is_flag=True, help="JSON Lines instead of a table.")
def user_list(db: str, as_json: bool) -> None:
    """List the users and their roles.

    Example: harmledger user list --db ledger.db
    """
    with Ledger(existing(db)) as ledger:
        found = accounts.users(ledger)
    for u in found:
        if as_json:
            click.echo(json.dumps(u.to_dict()))
        else:
            click.echo(f"{u.name:<24} {u.role:<8} since {u.created_at:%Y-%m-%d}")


@user.command("remove")
@click.argument("name")
@db_option
def user_remove(name: str, db: str) -> None:
    """Remove a user (their sessions end).

    Example: harmledger user remove maria --db ledger.db
    """
    with Ledger(existing(db)) as ledger:
        accounts.remove_user(ledger, name, by=login_name(), via="cli")
    click.echo(f"user {name} removed", err=True)


@user.command("passwd")
@click.argument("name")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@db_option
def user_passwd(name: str, password_stdin: bool, db: str) -> None:
    """Set a user's password (their sessions end).

    Example: harmledger user passwd maria --db ledger.db
    """
    password = _password(password_stdin, name)
    with Ledger(existing(db)) as ledger:
        accounts.set_password(ledger, name, password, by=login_name(), via="cli")
    click.echo(f"password of {name} changed", err=True)


@user.command("role")
@click.argument("name")
@click.argument("role", type=click.Choice(ROLES))
@db_option
def user_role(name: str, role: str, db: str) -> None:
    """Change a user's role (their sessions end).

    Example: harmledger user role maria viewer --db ledger.db
    """
    with Ledger(existing(db)) as ledger:
        accounts.set_role(ledger, name, role, by=login_name(), via="cli")
    click.echo(f"{name} is now {role}", err=True)


@click.group()
def audit() -> None:
    """Read and verify the audit log (every change, chained by SHA-256).

    Example: harmledger audit verify --db ledger.db
    """


@audit.command("log")
@db_option
@click.option("--limit", type=int, default=None, help="Only the newest N entries.")
@click.option("--action", help="Only entries of this action (run, merge, review.edit...).")
@click.option("--json", "as_json", is_flag=True, help="JSON Lines, with hashes.")
def audit_log(db: str, limit: int | None, action: str | None, as_json: bool) -> None:
    """List audit entries, oldest first: when, who, through what, what, which target.

    Example: harmledger audit log --limit 20 --db ledger.db
    """
    with Ledger(existing(db)) as ledger:
        found = ledger.audit_log(limit=limit, newest_first=limit is not None, action=action)
    if limit is not None:
        found.reverse()
    for e in found:
        if as_json:
            click.echo(json.dumps(e.to_dict(), ensure_ascii=False, default=str))
            continue
        why = f"  ({e.reason})" if e.reason else ""
        click.echo(
            f"{e.id:>6}  {e.at:%Y-%m-%d %H:%M:%S}  {e.actor:<16} {e.via:<4} "
            f"{e.action:<16} {e.target}{why}"
        )


@audit.command("verify")
@db_option
def audit_verify(db: str) -> None:
    """Check the audit chain: each entry's hash covers its contents and the previous
    hash. Exits 1 naming the first entry that does not verify.

    Example: harmledger audit verify --db ledger.db
    """
    with Ledger(existing(db)) as ledger, ledger.engine.connect() as conn:
        n, problem = verify(audit_store.every(conn))
    if problem is not None:
        click.echo(f"FAILED: {problem} ({n} entr{'y' if n == 1 else 'ies'} read)", err=True)
        sys.exit(1)
    click.echo(f"OK: {n} audit entr{'y' if n == 1 else 'ies'} verify", err=True)


@click.command()
@db_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=int, help="Port to listen on.")
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Server processes (one per core for many readers; each counts sign-in "
    "attempts on its own).",
)
def serve(db: str, host: str, port: int, workers: int) -> None:
    """Serve the review workspace: a queue, each incident beside its words, lists, a
    map and timeline, the audit log, for the users of `harmledger user`.

    Binds to loopback unless --host says otherwise. Everything it shows is in the
    package: it works with no network. --workers N starts N server processes on the
    same port (several cores answer readers at once).

    Example: harmledger serve --db ledger.db --port 8000 --workers 2
    """
    import uvicorn

    os.environ[SERVE_DB] = existing(db)
    if host not in ("127.0.0.1", "localhost", "::1"):
        click.echo(f"note: listening on {host}: reachable from other machines", err=True)
    click.echo(f"harmledger workspace on http://{host}:{port}/ (ledger {db})", err=True)
    # the application is named by its import string (the face `web` is on this floor)
    uvicorn.run(
        "harmledger.web.app:from_environment",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
    )


COMMANDS: tuple[Any, ...] = (user, audit, serve)
