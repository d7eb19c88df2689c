"""The `reformstyr` command: migrate, demo, serve, users, backup and restore, export and import."""

import json
import os
import sqlite3
from pathlib import Path

import typer
import uvicorn
from alembic import command
from alembic.config import Config
from sqlalchemy.engine import make_url
from sqlmodel import Session, select

from app.attachments import backup as attachment_backup
from app.attachments.storage import attachments_dir
from app.auth import service as auth_service
from app.auth.models import User
from app.clock import today
from app.config import ROOT, get_settings
from app.db import Database, is_sqlite
from app.demo.loader import load_demo
from app.errors import DomainError, InvalidDocument
from app.governance.projects import get_project
from app.notifications import digests, sender
from app.participants.retention import purge_expired
from app.projectdoc.document import export_project, import_project

LOOPBACK = ("127.0.0.1", "localhost", "::1")

cli = typer.Typer(
    help="Reformstyr: styring af en kommunes reformimplementering.",
    no_args_is_help=True,
    add_completion=False,
)


def alembic_config(url: str | None = None) -> Config:
    """Alembic's configuration for our migrations and the given (or configured) database."""
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "migrations"))
    config.set_main_option("sqlalchemy.url", url or get_settings().database_url)
    return config


def migrate_database(url: str | None = None) -> None:
    """Bring the database schema up to the newest migration."""
    command.upgrade(alembic_config(url), "heads")


def _say(message: str) -> None:
    typer.echo(f"· {message}", err=True)


@cli.command()
def migrate() -> None:
    """Anvend alle databasemigreringer (Alembic upgrade head)."""
    migrate_database()
    _say("Databasen er opdateret til nyeste skema.")


@cli.command()
def demo() -> None:
    """Indlæs demoprojektet (Svendborg) og demokontiene; kan køres igen uden dubletter."""
    migrate_database()
    with Database(get_settings().database_url).begin() as session:
        project = load_demo(session=session, progress=_say)
    _say(f"Demoprojektet er klar (id {project.id}). Log ind som projektleder / demo.")


def demo_account_warning(session: Session, *, host: str) -> str | None:
    """A loud warning when demo accounts exist and the server listens beyond loopback."""
    if host in LOOPBACK:
        return None
    demo_users = session.exec(select(User.username).where(User.is_demo)).all()
    if not demo_users:
        return None
    line = "!" * 72
    return (
        f"\n{line}\nADVARSEL: Demokonti med adgangskoden 'demo' findes ({', '.join(demo_users)}),\n"
        f"og serveren lytter på {host}, ikke kun på denne maskine.\n"
        f"Slet eller deaktivér demokontiene, før serveren bruges i et netværk.\n{line}\n"
    )


@cli.command()
def serve(
    host: str = typer.Option("127.0.0.1", help="Adressen der lyttes på"),
    port: int = typer.Option(8000, help="Porten der lyttes på"),
    workers: int = typer.Option(
        0, help="Antal uvicorn-processer (0: én pr. CPU-kerne)", show_default=False
    ),
    forwarded_allow_ips: str = typer.Option(
        "127.0.0.1",
        help="Reverse proxyens adresse(r), kommasepareret: kun fra dem stoles på "
        "X-Forwarded-For/-Proto (docs/deployment.md)",
    ),
) -> None:
    """Start webserveren (docs/deployment.md)."""
    with Database(get_settings().database_url).begin(write=False) as session:
        warning = demo_account_warning(session, host=host)
    if warning:
        typer.secho(warning, fg=typer.colors.RED, bold=True, err=True)
    uvicorn.run(
        "app.main:serve_app",
        factory=True,
        host=host,
        port=port,
        workers=workers or os.cpu_count() or 1,
        proxy_headers=True,
        forwarded_allow_ips=forwarded_allow_ips,
        # uvicorn restarts a worker that does not answer its supervisor within this time; its
        # 5 s default killed workers still importing the app on a busy machine (start-up took
        # ~30 s with the machine's 2 cores 7× oversubscribed).
        timeout_worker_healthcheck=60,
    )


@cli.command("create-user")
def create_user(
    username: str,
    full_name: str = typer.Option("", "--full-name", help="Fulde navn"),
    email: str = typer.Option("", help="E-mail"),
    admin: bool = typer.Option(False, "--admin", help="Gør brugeren til administrator"),
    password: str = typer.Option(
        ..., prompt="Adgangskode", hide_input=True, confirmation_prompt=True
    ),
) -> None:
    """Opret en bruger."""
    with Database(get_settings().database_url).begin() as session:
        try:
            user = auth_service.create_user(
                session=session,
                by=None,
                username=username,
                password=password,
                full_name=full_name,
                email=email,
                is_admin=admin,
            )
        except DomainError as exc:
            typer.secho(exc.message, fg=typer.colors.RED, err=True)
            raise typer.Exit(1) from None
    _say(f"Brugeren {user.username} er oprettet (id {user.id}).")


def _sqlite_path(url: str) -> str:
    if not is_sqlite(url):
        typer.secho(
            "backup/restore virker på SQLite-databasen; brug pg_dump/pg_restore til PostgreSQL.",
            fg=typer.colors.RED,
            err=True,
        )
        raise typer.Exit(2)
    return str(make_url(url).database)


@cli.command()
def backup(file: Path) -> None:
    """Tag en konsistent kopi af databasen, også mens der skrives (SQLite's backup-API), og af
    bilagenes filer (i mappen <fil>.bilag ved siden af)."""
    source = sqlite3.connect(_sqlite_path(get_settings().database_url), timeout=30)
    target = sqlite3.connect(str(file))
    with target:
        source.backup(
            target,
            pages=1024,
            progress=lambda _s, left, total: _say(
                f"Sikkerhedskopi: {total - left} af {total} sider"
            ),
        )
    target.close()
    source.close()
    copied, missing = attachment_backup.save_files(
        database_file=file, directory=attachments_dir(get_settings()), backup_file=file
    )
    _say(f"Bilag: {copied} filer kopieret til {attachment_backup.folder_of(file)}.")
    if missing:
        typer.secho(
            f"{len(missing)} bilagsfiler findes ikke i bilagsmappen: {', '.join(missing)}",
            fg=typer.colors.YELLOW,
            err=True,
        )
    _say(f"Sikkerhedskopien er gemt i {file}.")


@cli.command()
def restore(file: Path) -> None:
    """Læg en sikkerhedskopi tilbage (erstatter den nuværende database; bilagenes filer fra
    <fil>.bilag lægges i bilagsmappen)."""
    if not file.exists():
        typer.secho(f"Filen {file} findes ikke.", fg=typer.colors.RED, err=True)
        raise typer.Exit(1)
    source = sqlite3.connect(str(file))
    check = source.execute("PRAGMA integrity_check").fetchone()[0]
    if check != "ok":
        typer.secho(f"Sikkerhedskopien er beskadiget: {check}", fg=typer.colors.RED, err=True)
        raise typer.Exit(1)
    target = sqlite3.connect(_sqlite_path(get_settings().database_url), timeout=30)
    with target:
        source.backup(target)
    target.close()
    source.close()
    restored, damaged = attachment_backup.restore_files(
        backup_file=file, directory=attachments_dir(get_settings())
    )
    _say(f"Bilag: {restored} filer lagt tilbage.")
    if damaged:
        typer.secho(
            f"{len(damaged)} bilagsfiler i kopien er beskadigede og er sprunget over: "
            f"{', '.join(damaged)}",
            fg=typer.colors.YELLOW,
            err=True,
        )
    _say(f"Databasen er gendannet fra {file}.")


@cli.command("export")
def export_cmd(project_id: int, file: Path) -> None:
    """Eksportér et projekt som projektdokument (JSON)."""
    with Database(get_settings().database_url).begin(write=False) as session:
        document = export_project(
            session=session, project=get_project(session=session, project_id=project_id)
        )
    file.write_text(json.dumps(document, ensure_ascii=False, indent=2), encoding="utf-8")
    _say(f"Projektet er eksporteret til {file}.")


@cli.command("import")
def import_cmd(file: Path) -> None:
    """Importér et projektdokument som et nyt projekt."""
    data = json.loads(file.read_text(encoding="utf-8"))
    with Database(get_settings().database_url).begin() as session:
        try:
            project = import_project(session=session, data=data, by=None)
        except InvalidDocument as exc:
            for error in exc.errors:
                typer.secho(f"{error['path']}: {error['message']}", fg=typer.colors.RED, err=True)
            raise typer.Exit(1) from None
    _say(f"Projektet »{project.name}« er importeret (id {project.id}).")


@cli.command()
def purge() -> None:
    """Slet deltagerregistreringer, hvis opbevaringsperiode er udløbet."""
    with Database(get_settings().database_url).begin() as session:
        counts = purge_expired(session=session)
    for project_id, count in counts.items():
        _say(f"Projekt {project_id}: {count} deltagere slettet.")
    typer.echo(
        f"{sum(counts.values())} deltagerregistreringer slettet, fordi deres "
        "opbevaringsperiode er udløbet."
    )


@cli.command("send-mail")
def send_mail() -> None:
    """Send det, der venter i udbakken, én gang (til cron eller en systemd-timer)."""
    settings = get_settings()
    if not settings.smtp_host:
        _say("Der er ingen mailserver (REFORMSTYR_SMTP_HOST): mails bliver i udbakken.")
        return
    database = Database(settings.database_url)
    sent = retried = failed = 0
    while True:
        result = sender.send_due(database=database, settings=settings)
        sent, retried, failed = (
            sent + len(result.sent),
            retried + len(result.retried),
            failed + len(result.failed),
        )
        if len(result.sent) + len(result.retried) + len(result.failed) < sender.BATCH:
            break
    typer.echo(f"{sent} mails sendt, {retried} prøves igen senere, {failed} fejlet.")


@cli.command("send-digests")
def send_digests() -> None:
    """Dan dagens notifikationer om datoer og læg de samlede mails i udbakken (dagligt)."""
    result = digests.run_daily(database=Database(get_settings().database_url), on=today())
    typer.echo(f"{result.events} notifikationer dannet, {result.digests} samlede mails i udbakken.")


def main() -> None:
    cli(prog_name="reformstyr")


if __name__ == "__main__":
    main()
