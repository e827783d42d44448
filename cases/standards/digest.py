"""The daily email to each officer: what is overdue and what falls due soon, from their unread flags."""

from collections import defaultdict

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.db.models import F, FilteredRelation, Q
from django.utils import timezone

from cases.models import Notification, Obligation
from cases.standards.rules import title

# Values are sent apart from the statement (prepared statements, probation/settings.py), and PostgreSQL takes at
# most 65,535 of them in one statement.
IDS_A_STATEMENT = 10_000
CURRENT = Q(obligation__event__allocations__to_date__isnull=True)


@transaction.atomic
def send() -> int:
    """One message per officer with unread, not yet emailed flags on items they must act on now (the case's
    current responsible officer, ARCHITECTURE.md); each flag is emailed once."""
    pending = list(
        Notification.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(emailed_at__isnull=True, read_at__isnull=True, staff__user__email__gt="")
        .annotate(acting=FilteredRelation("obligation__event__allocations", condition=CURRENT))
        .filter(  # still open and still theirs to act on: an item reallocated since went to the new officer
            acting__staff_id=F("staff_id"),
            obligation__state__in=Obligation.OPEN,
            obligation__event__terminated_on__isnull=True,
        )
        .select_related("staff__user", "obligation__event__person")
        .order_by("staff_id", "kind", "obligation__due_on")
    )
    by_staff: dict[int, list[Notification]] = defaultdict(list)
    for flag in pending:
        by_staff[flag.staff_id].append(flag)
    messages = []
    for flags in by_staff.values():
        staff = flags[0].staff
        lines = [
            f"- {flag.get_kind_display()}: {title(flag.obligation.rule)} for {flag.obligation.event.person.crn}, "
            f"due {flag.obligation.due_on:%-d %B %Y}"
            for flag in flags
        ]
        body = f"Hello {staff.name},\n\nYour National Standards items today:\n\n" + "\n".join(lines)
        subject = f"National Standards: {len(flags)} item{'s' if len(flags) != 1 else ''} need your attention"
        assert staff.user is not None
        messages.append((subject, body, settings.DEFAULT_FROM_EMAIL, [staff.user.email]))
    send_mass_mail(messages, fail_silently=False)
    now = timezone.now()
    ids = [f.pk for f in pending]
    for start in range(0, len(ids), IDS_A_STATEMENT):  # a national morning's flags can pass the limit of one
        Notification.objects.filter(pk__in=ids[start : start + IDS_A_STATEMENT]).update(emailed_at=now)
    return len(messages)
