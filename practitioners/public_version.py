"""Database triggers that keep Practitioner.public_version counting every write to what a
practitioner's public pages show (issue 13: the cached pages are keyed on it, so none can be
served after a change).

A trigger, not a call in each service: the count then moves in the writing transaction
whatever makes the write (the booking services, update(), bulk_create(), the admin, a shell),
and a rolled-back write moves nothing. SQLite and PostgreSQL; used by the migrations that
add the column (practitioners 0005) and the sessions tables' triggers (sessions 0022).
"""

PRACTITIONER = "practitioners_practitioner"
EVENTS = ("INSERT", "UPDATE", "DELETE")


def _bump(where: str) -> str:
    return f"UPDATE {PRACTITIONER} SET public_version = public_version + 1 WHERE {where};"


def _owner(row: str, via: tuple[str, str] | None) -> str:
    """The practitioner id of `row` (OLD or NEW): its own column, or through `via` =
    (the row's column, the table holding practitioner_id), as a length through its service."""
    if via is None:
        return f"{row}.practitioner_id"
    column, table = via
    return f"(SELECT practitioner_id FROM {table} WHERE id = {row}.{column})"


def _name(table: str, event: str = "") -> str:
    return f"{table}_public_version{'_' + event.lower() if event else ''}"


def create(schema_editor, table: str, via: tuple[str, str] | None = None) -> None:
    """Bump the owning practitioner's public_version on every insert, update and delete of
    a row of `table`."""
    run = schema_editor.execute
    if schema_editor.connection.vendor == "postgresql":
        old = f"IF TG_OP <> 'INSERT' THEN {_bump('id = ' + _owner('OLD', via))} END IF;"
        new = f"IF TG_OP <> 'DELETE' THEN {_bump('id = ' + _owner('NEW', via))} END IF;"
        run(
            f"CREATE FUNCTION {_name(table)}() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN {old} {new} RETURN NULL; END $$"
        )
        run(
            f"CREATE TRIGGER {_name(table)} AFTER INSERT OR UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {_name(table)}()"
        )
        return
    rows = {"INSERT": ["NEW"], "UPDATE": ["OLD", "NEW"], "DELETE": ["OLD"]}
    for event in EVENTS:
        owners = ", ".join(_owner(row, via) for row in rows[event])
        run(
            f"CREATE TRIGGER {_name(table, event)} AFTER {event} ON {table} "
            f"BEGIN {_bump(f'id IN ({owners})')} END"
        )


def create_for_practitioner(schema_editor) -> None:
    """Bump public_version on every other change to the practitioner's own row (a profile
    edit, the next free time, update()), not on the bump itself."""
    run = schema_editor.execute
    if schema_editor.connection.vendor == "postgresql":
        run(
            f"CREATE FUNCTION {_name(PRACTITIONER)}() RETURNS trigger LANGUAGE plpgsql AS $$ "
            "BEGIN NEW.public_version := OLD.public_version + 1; RETURN NEW; END $$"
        )
        run(
            f"CREATE TRIGGER {_name(PRACTITIONER)} BEFORE UPDATE ON {PRACTITIONER} "
            "FOR EACH ROW WHEN (OLD.public_version = NEW.public_version) "
            f"EXECUTE FUNCTION {_name(PRACTITIONER)}()"
        )
        return
    # SQLite cannot change NEW; its triggers do not fire themselves again (no recursive
    # triggers), and the WHEN leaves the bump's own UPDATE alone anyway.
    run(
        f"CREATE TRIGGER {_name(PRACTITIONER, 'UPDATE')} AFTER UPDATE ON {PRACTITIONER} "
        "WHEN OLD.public_version = NEW.public_version "
        f"BEGIN {_bump('id = NEW.id')} END"
    )


def drop(schema_editor, table: str) -> None:
    """Undo create() or create_for_practitioner() for `table`."""
    run = schema_editor.execute
    if schema_editor.connection.vendor == "postgresql":
        run(f"DROP TRIGGER IF EXISTS {_name(table)} ON {table}")
        run(f"DROP FUNCTION IF EXISTS {_name(table)}()")
        return
    for event in EVENTS:
        run(f"DROP TRIGGER IF EXISTS {_name(table, event)}")


def restore(schema_editor, table: str, via: tuple[str, str] | None = None) -> None:
    """create() again after a migration rebuilt `table` (SQLite drops a rebuilt table's
    triggers; PostgreSQL keeps them, and ends the same)."""
    drop(schema_editor, table)
    create(schema_editor, table, via)
