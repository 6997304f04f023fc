"""`learnhub units create|list`"""
from __future__ import annotations

import json

import click
import sqlalchemy as sa
from flask.cli import AppGroup

from learnhub.extensions import db
from learnhub.orgs.models import Unit, UnitKind
from learnhub.orgs.services import (
    UnitChangeRefused,
    UnitNotFound,
    create_unit,
    resolve_unit,
    unit_path,
)

units_cli = AppGroup("units", help="Manage the organisation tree.")
KIND_CHOICES = {"committee": UnitKind.committee, "cell": UnitKind.cell,
                "agency": UnitKind.agency, "mass-org": UnitKind.mass_org}
# The service's refusal codes, said on the command line.
REFUSALS = {
    "name_invalid": "a unit name must be non-empty and cannot contain '/'",
    "name_taken": "a unit named {name!r} already exists there",
    "parent_archived": "the parent unit is archived: restore it first",
}


@units_cli.command("create")
@click.argument("name")
@click.option("--kind", type=click.Choice(list(KIND_CHOICES)), required=True)
@click.option("--parent", "parent_spec", default=None, help='Parent unit name or path "Parent/Child".')
def create_unit_command(name: str, kind: str, parent_spec: str | None) -> None:
    """Add a unit through the same service as the admin pages (names unique among siblings, audited)."""
    parent = None
    if parent_spec:
        try:
            parent = resolve_unit(parent_spec, include_archived=True)
        except UnitNotFound as exc:
            raise click.UsageError(str(exc)) from None
    try:
        unit = create_unit(name=name, kind=KIND_CHOICES[kind], parent=parent)
    except UnitChangeRefused as refused:
        raise click.UsageError(REFUSALS[str(refused)].format(name=name)) from None
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
    for row in sorted(rows, key=lambda r: str(r["path"])):
        click.echo(f"{row['id']:>5}  {row['kind']:<10} {row['path']}")
