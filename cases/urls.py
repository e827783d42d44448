from django.urls import path

from cases.views import allocation, case, caseload, events, risk, search

app_name = "cases"

urlpatterns = [
    path("", caseload.my_cases, name="my-cases"),
    path("search/", search.search, name="search"),
    path("unallocated/", allocation.unallocated, name="unallocated"),
    path("new/", events.person_new, name="person-new"),
    path("<str:crn>/", case.overview, name="overview"),
    path("<str:crn>/audit/", case.audit_trail, name="audit"),
    path("<str:crn>/sentences/new/", events.event_new, name="event-new"),
    path("<str:crn>/releases/new/", events.release_new, name="release-new"),
    path("<str:crn>/events/<str:ref>/allocate/", allocation.allocate, name="allocate"),
    path("<str:crn>/risk/", risk.risk_level, name="risk"),
    path("<str:crn>/flags/new/", risk.registration_new, name="registration-new"),
    path("<str:crn>/flags/<int:pk>/review/", risk.registration_review, name="registration-review"),
]
