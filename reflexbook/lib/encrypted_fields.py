"""Model fields whose values are stored encrypted (reflexbook.lib.encryption): the column
holds a Fernet token, Python code reads and writes plain values.

- EncryptedTextField / EncryptedCharField: text; "" is stored as "" (so `field=""` and
  `~Q(field="")`, in queries and constraints, still mean "left empty").
- EncryptedJSONField: any JSON value, stored as a token of its JSON text.
- SearchableKeyField: a plain copy of one key of an encrypted JSON field, for the rare value
  the database must search (the phone on a health form).

The database cannot look inside a token: any lookup but `isnull`, and `exact` with "", raises
FieldError, so a filter that would silently match nothing fails loudly instead. Read such
values in Python, or keep a plain derived column.

rewrite_column changes the stored tokens of a table directly (the data migrations that
encrypt existing rows, and rotate_encryption_key).
"""

import json
from collections.abc import Callable

from django import forms
from django.core import checks, exceptions
from django.core.validators import MaxLengthValidator
from django.db import models, transaction
from django.db.models.lookups import Exact, IsNull

from reflexbook.lib import encryption


class DecryptionFailed(Exception):
    """A stored value none of the keys in DJANGO_FIELD_ENCRYPTION_KEYS can decrypt."""


def _refuse(field: models.Field, lookup: str) -> exceptions.FieldError:
    return exceptions.FieldError(
        f"{field.model._meta.label}.{field.name} is encrypted at rest, so the database cannot "
        f"compare or search it (lookup {lookup!r}); read it in Python, or keep a plain "
        "derived column."
    )


class _EmptyExact(Exact):
    """`field=""` (and `field=None`): whether the value was left empty, which is stored plain."""

    def get_prep_lookup(self):
        if self.rhs not in ("", None):
            raise _refuse(self.lhs.output_field, "exact")
        return super().get_prep_lookup()


class EncryptedMixin:
    """What every encrypted field shares: the lookup guard and the decryption error."""

    allowed_lookups = {"isnull": IsNull, "exact": _EmptyExact}

    def get_lookup(self, lookup_name):
        if lookup_name in self.allowed_lookups:
            return self.allowed_lookups[lookup_name]
        raise _refuse(self, lookup_name)

    def get_transform(self, name):
        return None

    def _decrypt(self, token: str) -> bytes:
        try:
            return encryption.decrypt(token.encode())
        except encryption.InvalidToken:
            raise DecryptionFailed(
                f"A value of {self.model._meta.label}.{self.name} cannot be decrypted with any "
                "key in DJANGO_FIELD_ENCRYPTION_KEYS (a key removed too early, or the wrong keys)."
            ) from None


class EncryptedTextField(EncryptedMixin, models.TextField):
    """Text stored as a Fernet token; an empty value is stored as ""."""

    def get_db_prep_value(self, value, connection, prepared=False):
        value = super().get_db_prep_value(value, connection, prepared)
        # prepared=True comes from a lookup, which compares "" only (_EmptyExact).
        if prepared or not isinstance(value, str) or value == "":
            return value
        return encryption.encrypt(value.encode()).decode()

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return self._decrypt(value).decode()


class EncryptedCharField(EncryptedTextField):
    """An encrypted one-line text of at most `max_length` characters. The column is text
    (a token is longer than its text); forms show a one-line input, as for a CharField."""

    def __init__(self, *args, max_length: int, **kwargs):
        super().__init__(*args, max_length=max_length, **kwargs)
        self.validators.append(MaxLengthValidator(max_length))

    def formfield(self, **kwargs):
        # A CharField's form field (one line), not TextField's textarea.
        return models.Field.formfield(self, **{"max_length": self.max_length, **kwargs})


class EncryptedJSONField(EncryptedMixin, models.Field):
    """A JSON value (dict, list, str, number, bool) stored as a token of its JSON text; None
    is SQL NULL. Lookups and key transforms are refused (see the module docstring)."""

    empty_strings_allowed = False
    description = "A JSON object, encrypted at rest"
    allowed_lookups = {"isnull": IsNull}
    default_error_messages = {"invalid": "Value must be valid JSON."}

    def get_internal_type(self):
        return "TextField"

    def check(self, **kwargs):
        errors = super().check(**kwargs)
        if self.has_default() and self.default is not None and not callable(self.default):
            errors.append(
                checks.Warning(
                    f"{self.__class__.__name__} default should be a callable instead of an "
                    "instance so that it's not shared between all field instances.",
                    obj=self,
                    id="fields.E010",
                )
            )
        return errors

    def get_db_prep_value(self, value, connection, prepared=False):
        if value is None or hasattr(value, "as_sql"):
            return value
        return encryption.encrypt(json.dumps(value).encode()).decode()

    def from_db_value(self, value, expression, connection):
        if value is None:
            return None
        return json.loads(self._decrypt(value))

    def validate(self, value, model_instance):
        super().validate(value, model_instance)
        try:
            json.dumps(value)
        except TypeError:
            raise exceptions.ValidationError(
                self.error_messages["invalid"], code="invalid", params={"value": value}
            ) from None

    def value_to_string(self, obj):
        return self.value_from_object(obj)

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": forms.JSONField, **kwargs})


class SearchableKeyField(models.CharField):
    """A plain copy of `key` of the encrypted JSON field `source`, written on every save
    (bulk_create included), for a value the database must search. Never set by hand."""

    def __init__(self, *args, source: str, key: str, **kwargs):
        self.source, self.key = source, key
        kwargs.setdefault("editable", False)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        return name, path, args, {**kwargs, "source": self.source, "key": self.key}

    def value_from(self, data) -> str:
        """The copy of `key` from `data` (the source field's value)."""
        value = data.get(self.key) if isinstance(data, dict) else None
        return ("" if value is None else str(value))[: self.max_length]

    def pre_save(self, model_instance, add):
        value = self.value_from(getattr(model_instance, self.source))
        setattr(model_instance, self.attname, value)
        return value


def rewrite_column(
    connection,
    *,
    table: str,
    pk: str,
    columns: list[str],
    change: Callable[[bytes], bytes | None],
    batch_size: int = 500,
) -> int:
    """Pass every stored value of `columns` in `table` (raw: a token, or plain text before the
    encrypting migration; NULL and "" are skipped) through `change` (one of encryption's
    rewrites: encrypt_plain, decrypt_token, rotate_old), which returns the new stored value,
    or None to keep it. Walks the table by primary key `pk` in batches, each in
    its own transaction; a row is rewritten only if it still holds what was read (a write by
    the app meanwhile wins and is left alone). Returns the number of rows rewritten."""
    quote = connection.ops.quote_name
    wanted = ", ".join(quote(column) for column in columns)
    select = f"SELECT {quote(pk)}, {wanted} FROM {quote(table)}"
    rewritten, last = 0, None
    while True:
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            after = "" if last is None else f" WHERE {quote(pk)} > %s"
            cursor.execute(
                f"{select}{after} ORDER BY {quote(pk)} LIMIT %s",
                ([] if last is None else [last]) + [batch_size],
            )
            rows = cursor.fetchall()
            for key, *values in rows:
                changed = {}
                for column, value in zip(columns, values, strict=True):
                    if value is None or value == "":
                        continue
                    new = change(value.encode())
                    if new is not None:
                        changed[column] = (value, new.decode())
                if not changed:
                    continue
                sets = ", ".join(f"{quote(column)} = %s" for column in changed)
                still = " AND ".join(f"{quote(column)} = %s" for column in changed)
                cursor.execute(
                    f"UPDATE {quote(table)} SET {sets} WHERE {quote(pk)} = %s AND {still}",
                    [new for _, new in changed.values()]
                    + [key]
                    + [old for old, _ in changed.values()],
                )
                rewritten += cursor.rowcount
        if len(rows) < batch_size:
            return rewritten
        last = rows[-1][0]
