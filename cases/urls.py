from django.urls import path

from cases.views import allocation, case, caseload, events, search

app_name = "cases"

urlpatterns = [
    path("", caseload.my_cases, name="my-cases"),
    path("search/", search.search, name="search"),
    path("unallocated/", allocation.unallocated, name="unallocated"),
    path("<str:crn>/", case.overview, name="overview"),
    path("<str:crn>/audit/", case.audit_trail, name="audit"),
    path("<str:crn>/sentences/new/", events.event_new, name="event-new"),
    path("<str:crn>/releases/new/", events.release_new, name="release-new"),
    path("<str:crn>/events/<str:ref>/allocate/", allocation.allocate, name="allocate"),
]
