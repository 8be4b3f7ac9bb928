"""A queryset's SQL built once and run again: for a hot read whose SQL does not change.

Building and compiling a queryset with a few joins and subqueries costs
Django several times what the database spends running it (the first render
of an article page after a comment decision, docs/performance.md). A
Prepared keeps the SQL, its parameters and the ORM's converters for the
selected columns, so running it again costs the database's time and the
conversion of the rows, exactly as iterating the queryset would.

The caller decides when the same SQL stays right: the parameters are those
of the moment it was built (a ``timezone.now()`` inside a filter included).
"""

from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import QuerySet
from django.db.models.sql.compiler import SQLCompiler


@dataclass(frozen=True)
class Prepared:
    using: str
    sql: str
    params: tuple
    converters: tuple

    @classmethod
    def of(cls, queryset: QuerySet) -> "Prepared":
        """queryset: a values_list() queryset, whose rows are tuples."""
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
        return cls(queryset.db, sql, tuple(params), converters)

    def rows(self) -> list[tuple]:
        """The rows the queryset would give now, converted as the ORM converts them."""
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
