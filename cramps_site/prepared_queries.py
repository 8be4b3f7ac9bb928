"""A queryset's SQL built once and run again: for a hot read whose SQL does not change.

Building and compiling a queryset with a few joins and subqueries costs
Django several times what the database spends running it (the first render
of an article page after a comment decision, docs/performance.md). A
Prepared keeps the SQL, its parameters and the ORM's converters for the
selected columns, so running it again costs the database's time and the
conversion of the rows, exactly as iterating the queryset would.

The caller decides when the same SQL stays right: the parameters are those
of the moment it was built (a ``timezone.now()`` inside a filter included).

A queryset built once for any row of a kind (any article's page of
comments) names the values that change with a stand-in no real row holds,
``Slot("article")``'s number; ``bind(article=7)`` gives the query for one.
"""

from dataclasses import dataclass, replace

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import QuerySet
from django.db.models.sql.compiler import SQLCompiler


class Slot(int):
    """A stand-in for a key given later (Prepared.bind): a negative number no key
    holds, one for each name, to filter on while building."""

    _numbers: dict[str, int] = {}

    def __new__(cls, name: str):
        number = cls._numbers.setdefault(name, -(2**31) + 7919 * len(cls._numbers))
        slot = super().__new__(cls, number)
        slot.name = name
        return slot


@dataclass(frozen=True)
class Prepared:
    using: str
    sql: str
    params: tuple
    converters: tuple
    # For each Slot the queryset was built with: its name and where it is in params.
    slots: tuple[tuple[str, tuple[int, ...]], ...] = ()

    @classmethod
    def of(cls, queryset: QuerySet, *slots: Slot) -> "Prepared":
        """queryset: a values_list() queryset, whose rows are tuples; slots: the
        stand-ins it was built with, each to be given a value by bind()."""
        compiler: SQLCompiler = queryset.query.get_compiler(queryset.db)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:  # a filter that can match nothing (pk__in=[])
            return cls(queryset.db, "", (), ())
        fields = [column[0] for column in compiler.select[0 : compiler.col_count]]
        converters = tuple(
            (position, tuple(functions), expression)
            for position, (functions, expression) in compiler.get_converters(fields).items()
        )
        where = []
        for slot in slots:
            positions = tuple(i for i, value in enumerate(params) if value == slot)
            if not positions:
                raise ValueError(f"The query does not use the slot {slot.name!r}.")
            where.append((slot.name, positions))
        return cls(queryset.db, sql, tuple(params), converters, tuple(where))

    def bind(self, **values) -> "Prepared":
        """The same query with each slot given its value: bind(article=7)."""
        if not self.sql:
            return self  # matches nothing, whatever the values
        if set(values) != {name for name, _ in self.slots}:
            raise TypeError(f"bind() takes the slots {[name for name, _ in self.slots]}.")
        params = list(self.params)
        for name, positions in self.slots:
            for position in positions:
                params[position] = values[name]
        return replace(self, params=tuple(params), slots=())

    def rows(self) -> list[tuple]:
        """The rows the queryset would give now, converted as the ORM converts them."""
        if self.slots:
            raise TypeError("A query with slots runs once they are bound (bind()).")
        if not self.sql:
            return []
        connection = connections[self.using]
        with connection.cursor() as cursor:
            cursor.execute(self.sql, self.params)
            rows = cursor.fetchall()
        if not self.converters:
            return [tuple(row) for row in rows]
        converted = []
        for row in rows:
            row = list(row)
            for position, functions, expression in self.converters:
                value = row[position]
                for convert in functions:
                    value = convert(value, expression, connection)
                row[position] = value
            converted.append(tuple(row))
        return converted
