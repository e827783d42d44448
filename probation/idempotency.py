"""Once-only form submissions. A form that records something carries a random key (`{% once_only_key %}`
beside its `{% csrf_token %}`). The middleware claims the key in the same transaction as the view's change:
the same form posted again (a double click, a resend after a timeout, two tabs) changes nothing and is sent
where the first went. A post that did not record anything (errors shown again) releases its key."""

import re
import uuid
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils import timezone

from probation.models import Submission

FIELD = "submission"
ALREADY_SAVED = "This was already saved: it has not been saved twice"


KEY = re.compile(r"[0-9a-f]{32}")


def new_key() -> str:
    return uuid.uuid4().hex


class OnceOnlyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., HttpResponse], args: tuple[Any, ...], kwargs: dict[str, Any]
    ) -> HttpResponse | None:
        key = request.POST.get(FIELD, "") if request.method == "POST" else ""
        if not KEY.fullmatch(key):  # no key, or not one new_key() made (a NUL would crash the insert): carry it out
            return None
        refused: PermissionDenied | None = None
        with transaction.atomic():
            claimed = _claim(key)  # a twin in flight waits here for the first
            if claimed is None:
                first = Submission.objects.filter(key=key).first()
                messages.info(request, ALREADY_SAVED)
                # The stored Location as it is: redirect() would take one without a "/" for a view name.
                return HttpResponseRedirect(first.location if first and first.location else request.path)
            try:
                response = view(request, *args, **kwargs)
            except PermissionDenied as error:
                # A refusal keeps its audit row, as it does without a key: only raised once the row is committed.
                claimed.delete()
                refused = error
            else:
                if response.status_code in {301, 302, 303}:
                    claimed.update(location=response["Location"][:500])
                else:
                    claimed.delete()  # nothing was recorded: the corrected form may use the key
                return response
        raise refused


def _claim(key: str) -> QuerySet[Submission] | None:
    """The key, claimed in one statement (no savepoint to catch a duplicate): None if it was already claimed.
    A twin posted while the first is in flight waits on the key's unique index until the first commits (then
    it finds the key taken) or rolls back (then it claims it)."""
    table = Submission._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""INSERT INTO {table} ("key", "at", "location") VALUES (%s, %s, '')
                ON CONFLICT ("key") DO NOTHING RETURNING id""",  # noqa: S608 - our own table
            [key, timezone.now()],
        )
        row = cursor.fetchone()
    return Submission.objects.filter(pk=row[0]) if row else None
