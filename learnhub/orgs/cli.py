"""`learnhub units create|list`"""
from __future__ import annotations

import json

import click
import sqlalchemy as sa
from flask.cli import AppGroup

from learnhub.extensions import db
from learnhub.orgs.models import Unit, UnitKind
from learnhub.orgs.services import UnitNotFound, resolve_unit, unit_path

units_cli = AppGroup("units", help="Manage the organisation tree.")
KIND_CHOICES = {"committee": UnitKind.committee, "cell": UnitKind.cell,
                "agency": UnitKind.agency, "mass-org": UnitKind.mass_org}


@units_cli.command("create")
@click.argument("name")
@click.option("--kind", type=click.Choice(list(KIND_CHOICES)), required=True)
@click.option("--parent", "parent_spec", default=None, help='Parent unit name or path "Parent/Child".')
def create_unit_command(name: str, kind: str, parent_spec: str | None) -> None:
    """Add a unit; names are unique among siblings."""
    name = " ".join(name.split())
    if not name or "/" in name:
        raise click.UsageError("a unit name must be non-empty and cannot contain '/'")
    parent = None
    if parent_spec:
        try:
            parent = resolve_unit(parent_spec)
        except UnitNotFound as exc:
            raise click.UsageError(str(exc)) from None
    exists = db.session.scalar(
        sa.select(Unit.id).where(
            Unit.name == name,
            Unit.parent_id == parent.id if parent else Unit.parent_id.is_(None),
        )
    )
    if exists is not None:
        raise click.UsageError(f"a unit named {name!r} already exists there")
    unit = Unit(name=name, kind=KIND_CHOICES[kind], parent=parent)
    db.session.add(unit)
    db.session.commit()
    click.echo(f"Created {unit_path(unit)} (id {unit.id}).", err=True)


@units_cli.command("list")
@click.option("--format", "output", type=click.Choice(["table", "json"]), default="table")
def list_units_command(output: str) -> None:
    """List the units; JSON goes to standard output alone."""
    units = list(db.session.scalars(sa.select(Unit).order_by(Unit.id)))
    rows = [
        {"id": u.id, "name": u.name, "kind": u.kind.value, "parent": u.parent_id,
         "path": unit_path(u), "archived": u.archived_at is not None}
        for u in units
    ]
    if output == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for row in sorted(rows, key=lambda r: r["path"]):
        click.echo(f"{row['id']:>5}  {row['kind']:<10} {row['path']}")
