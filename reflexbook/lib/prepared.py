"""Read queries whose SQL is built once per process (issue 13).

Building a query's SQL (Django's compiler: lookups, joins, every column of a select_related,
an EXISTS, a UNION's parts) costs more than running a small indexed query, and the hottest
requests run the same few reads with new values each time: the signed-in user, the
practitioner and length being booked, the re-check of a time under the booking lock, every
week of free times. A PreparedQuery asks the ORM for the SQL once, with marker values in
place of the parameters, remembers where each marker went, and from then on runs that SQL
with the real values. Rows go through the converters the ORM would use (aware datetimes,
dates, decrypted fields) and instances are built as the ORM builds them (select_related
ones included), so the queryset stays the one definition of the read.

`build(**params)` returns a queryset. It must use each parameter as given, in a filter: a
value computed from one (`start - timedelta(...)`, `"%" + name`) would be frozen into the
SQL, so compiling refuses a marker-like value it did not hand out. The SQL may differ with
which parameters are None (a filter left out): each such shape is built once. Parameters
are ints, strings, dates and aware datetimes. Prefetches and `only()` are not supported.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from django.db import connections
from django.db.models import Model, QuerySet
from django.db.models.query import get_related_populators

# Markers no real value takes: ids from here, dates and datetimes in the year 1800 + n,
# strings with a control character.
_ID_MARK = 910_000_000
_YEAR_MARK = 1800
_MARK_YEARS = range(_YEAR_MARK, _YEAR_MARK + 100)
_TEXT_MARK = "\x1fprepared-"


@dataclass(frozen=True)
class _Compiled:
    sql: str
    slots: tuple[tuple[str | None, Any], ...]  # (parameter name, or None and a fixed value)
    compiler: Any
    model: type[Model]
    fetch_mode: Any


def _marker(kind: Any, n: int) -> Any:
    if isinstance(kind, datetime):
        return datetime(_YEAR_MARK + n, 1, 1, tzinfo=UTC)
    if isinstance(kind, date):
        return date(_YEAR_MARK + n, 1, 1)
    if isinstance(kind, int) and not isinstance(kind, bool):
        return _ID_MARK + n
    if isinstance(kind, str):
        return f"{_TEXT_MARK}{n}\x1f"
    raise TypeError(f"PreparedQuery takes ints, strings, dates and datetimes, not {kind!r}")


def _looks_like_marker(value: Any) -> bool:
    """An SQL parameter in the markers' ranges (then it must be one of them exactly)."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return _ID_MARK <= value < _ID_MARK + 100
    if isinstance(value, date):  # datetimes too
        return value.year in _MARK_YEARS
    if isinstance(value, str):
        if _TEXT_MARK in value:
            return True
        if value[:4].isdigit() and value[4:5] == "-":
            return int(value[:4]) in _MARK_YEARS  # SQLite's adapted dates and datetimes
    return False


def _adapt(connection, value: Any) -> Any:
    if isinstance(value, datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, date):
        return connection.ops.adapt_datefield_value(value)
    return value


class PreparedQuery:
    def __init__(self, build: Callable[..., QuerySet]):
        self._build = build
        self._compiled: dict[tuple, _Compiled] = {}

    def _compile(self, using: str, params: dict) -> _Compiled:
        names = sorted(params)
        markers = {
            name: None if params[name] is None else _marker(params[name], n)
            for n, name in enumerate(names)
        }
        queryset = self._build(**markers)
        compiler = queryset.query.get_compiler(using)
        sql, sql_params = compiler.as_sql()
        connection = connections[using]
        adapted = {_adapt(connection, marker): name for name, marker in markers.items() if marker}
        slots = []
        for value in sql_params:
            if not isinstance(value, bool) and value in adapted:
                slots.append((adapted[value], None))
            elif _looks_like_marker(value):
                raise ValueError(f"A value computed from a parameter reached the SQL: {value!r}")
            else:
                slots.append((None, value))
        used = {name for name, _ in slots if name}
        unused = {name for name, marker in markers.items() if marker is not None} - used
        if unused:
            raise ValueError(f"Parameters not in the SQL as given: {sorted(unused)}")
        return _Compiled(sql, tuple(slots), compiler, queryset.model, queryset._fetch_mode)

    def _fetch(self, using: str, params: dict) -> tuple[_Compiled, list]:
        shape = (using, tuple(sorted((name, value is None) for name, value in params.items())))
        compiled = self._compiled.get(shape)
        if compiled is None:
            compiled = self._compiled[shape] = self._compile(using, params)
        connection = connections[using]
        values = [
            fixed if name is None else _adapt(connection, params[name])
            for name, fixed in compiled.slots
        ]
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, values)
            return compiled, cursor.fetchall()

    def rows(self, *, using: str = "default", **params) -> list[tuple]:
        """The rows of a values_list() `build(**params)`, as tuples."""
        compiled, fetched = self._fetch(using, params)
        return list(compiled.compiler.results_iter([fetched], tuple_expected=True))

    def _instances(self, using: str, params: dict) -> tuple[_Compiled, list[Model]]:
        compiled, fetched = self._fetch(using, params)
        compiler = compiled.compiler
        klass_info, select = compiler.klass_info, compiler.select
        first, last = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
        attnames = [column[0].target.attname for column in select[first:last]]
        related = get_related_populators(klass_info, select, using, compiled.fetch_mode)
        found = []
        for row in compiler.results_iter([fetched]):
            instance = klass_info["model"].from_db(
                using, attnames, row[first:last], fetch_mode=compiled.fetch_mode
            )
            for populator in related:
                populator.populate(row, instance)
            for name, position in compiler.annotation_col_map.items():
                setattr(instance, name, row[position])
            found.append(instance)
        return compiled, found

    def instances(self, *, using: str = "default", **params) -> list[Model]:
        """The model instances `build(**params)` gives, select_related ones and annotations
        set, built as Django's ModelIterable builds them."""
        return self._instances(using, params)[1]

    def get(self, *, using: str = "default", **params) -> Model:
        """The one instance, or the model's DoesNotExist, as QuerySet.get()."""
        compiled, found = self._instances(using, params)
        model = compiled.model
        if not found:
            raise model.DoesNotExist(f"{model._meta.object_name} matching query does not exist.")
        if len(found) > 1:
            raise model.MultipleObjectsReturned(f"get() returned {len(found)} objects.")
        return found[0]
