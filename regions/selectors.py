"""Reads the organisation pages share. Each returns a queryset evaluated in one query."""

from django.db.models import Count, QuerySet

from regions.models import PDU, Region, StaffMember, Team


def team_members(team: Team) -> QuerySet[StaffMember]:
    return StaffMember.objects.active().filter(team=team).order_by("name")


def region_pdus(region: Region) -> QuerySet[PDU]:
    return region.pdus.annotate(team_count=Count("teams", distinct=True)).order_by("name")


def all_regions() -> QuerySet[Region]:
    return Region.objects.annotate(pdu_count=Count("pdus", distinct=True)).order_by("name")
