from django.urls import path

from cases.access_lists import views as access_lists
from cases.allocation import views as allocation
from cases.contacts import views as contacts
from cases.court_reports import views as court_reports
from cases.custody import views as custody
from cases.documents import views as documents
from cases.ending import views as ending
from cases.enforcement import views as enforcement
from cases.letters import views as letters
from cases.person import views as person
from cases.plans import views as plans
from cases.record import views as record
from cases.standards import views as standards
from cases.today import views as today
from cases.transfers import views as transfers

app_name = "cases"

urlpatterns = [
    path("", record.my_cases, name="my-cases"),
    path("today/", today.today, name="today"),
    path("transfers/requested/", today.my_transfers, name="my-transfers"),
    path("search/", record.search, name="search"),
    path("unallocated/", allocation.unallocated, name="unallocated"),
    path("new/", record.person_new, name="person-new"),
    path("outcomes/", contacts.outcomes_to_log, name="outcomes"),
    path("oversight/", enforcement.oversight_list, name="oversight"),
    path("transfers/", transfers.transfer_list, name="transfers"),
    path("standards/", standards.standards, name="standards"),
    path("transfers/<int:pk>/", transfers.decide_transfer, name="transfer-decide"),
    path("officers/<str:code>/reallocate/", allocation.reallocate_caseload, name="reallocate-caseload"),
    path("allocation-overrides/", allocation.overrides, name="allocation-overrides"),
    path("allocation-overrides/<str:code>/", allocation.overrides, name="allocation-overrides-pdu"),
    path("<str:crn>/", record.overview, name="overview"),
    path("<str:crn>/audit/", record.audit_trail, name="audit"),
    path("<str:crn>/access/", access_lists.case_access, name="case-access"),
    path("<str:crn>/court-reports/", court_reports.court_reports, name="court-reports"),
    path("<str:crn>/court-reports/new/", court_reports.court_report_new, name="court-report-new"),
    path(
        "<str:crn>/court-reports/<int:pk>/complete/",
        court_reports.court_report_complete,
        name="court-report-complete",
    ),
    path("<str:crn>/documents/", documents.documents, name="documents"),
    path("<str:crn>/documents/new/", documents.document_upload, name="document-upload"),
    path("<str:crn>/documents/<int:pk>/", documents.document_download, name="document-download"),
    path("<str:crn>/documents/<int:pk>/letter/", letters.letter, name="letter-print"),
    path("<str:crn>/events/<str:ref>/letters/new/", letters.letter_new, name="letter-new"),
    path("<str:crn>/sentences/new/", record.event_new, name="event-new"),
    path("<str:crn>/releases/new/", record.release_new, name="release-new"),
    path("<str:crn>/custody/new/", custody.custody_new, name="custody-new"),
    path("<str:crn>/events/<str:ref>/handover-meeting/", custody.handover_meeting, name="handover-meeting"),
    path("<str:crn>/events/<str:ref>/release/", custody.release, name="release"),
    path("<str:crn>/events/<str:ref>/end/", ending.end_event, name="event-end"),
    path("<str:crn>/events/<str:ref>/allocate/", allocation.allocate, name="allocate"),
    path("<str:crn>/events/<str:ref>/allocations/", allocation.history, name="allocation-history"),
    path("<str:crn>/events/<str:ref>/appointments/new/", contacts.book, name="book"),
    path("<str:crn>/events/<str:ref>/contacts/new/", contacts.log_contact, name="log-contact"),
    path("<str:crn>/events/<str:ref>/recall/", enforcement.recall, name="recall"),
    path("<str:crn>/events/<str:ref>/recall/return/", enforcement.recall_return, name="recall-return"),
    path("<str:crn>/events/<str:ref>/transfer/", transfers.request_transfer, name="transfer-request"),
    path("<str:crn>/transfers/<int:pk>/appointments/", transfers.transfer_appointments, name="transfer-appointments"),
    path("<str:crn>/details/", record.contact_details, name="contact-details"),
    path("<str:crn>/events/<str:ref>/plan/", plans.plan, name="plan"),
    path("<str:crn>/events/<str:ref>/plan/own-words/", plans.persons_view, name="plan-view"),
    path("<str:crn>/events/<str:ref>/plan/objectives/new/", plans.objective, name="objective-new"),
    path("<str:crn>/events/<str:ref>/plan/objectives/<int:pk>/", plans.objective, name="objective"),
    path("<str:crn>/events/<str:ref>/plan/complete/", plans.complete, name="plan-complete"),
    path("<str:crn>/events/<str:ref>/plan/review/", plans.review, name="plan-review"),
    path("<str:crn>/contacts/", contacts.contact_log, name="contacts"),
    path("<str:crn>/contacts/<int:pk>/", contacts.detail, name="contact"),
    path("<str:crn>/contacts/<int:pk>/outcome/", contacts.outcome, name="outcome"),
    path("<str:crn>/contacts/<int:pk>/change/", contacts.amend, name="amend"),
    path("<str:crn>/contacts/<int:pk>/entered-in-error/", contacts.entered_in_error, name="entered-in-error"),
    path("<str:crn>/contacts/<int:pk>/cancel/", contacts.cancel, name="cancel-appointment"),
    path("<str:crn>/contacts/<int:pk>/decision/", enforcement.decide, name="decide"),
    path("<str:crn>/warnings/<int:pk>/letter/", enforcement.letter, name="letter"),
    path("<str:crn>/breaches/<int:pk>/outcome/", enforcement.breach_outcome, name="breach-outcome"),
    path("<str:crn>/oversight/<int:pk>/", enforcement.oversight_record, name="oversight-record"),
    path("<str:crn>/risk/", record.risk_level, name="risk"),
    path("<str:crn>/risk/full/", person.risk, name="risk-full"),
    path("<str:crn>/risk/rosh/new/", person.rosh_new, name="rosh-new"),
    path("<str:crn>/risk/predictors/new/", person.predictor_new, name="predictor-new"),
    path("<str:crn>/person/", person.person_page, name="person"),
    path("<str:crn>/person/details/", person.details, name="person-details"),
    path("<str:crn>/person/addresses/move/", person.address_move, name="address-move"),
    path("<str:crn>/person/addresses/new/", person.address_new, name="address-new"),
    path("<str:crn>/person/addresses/<int:pk>/end/", person.address_end, name="address-end"),
    path("<str:crn>/person/contacts/new/", person.personal_contact_new, name="personal-contact-new"),
    path("<str:crn>/person/contacts/<int:pk>/", person.personal_contact, name="personal-contact"),
    path("<str:crn>/person/circumstances/new/", person.circumstance_new, name="circumstance-new"),
    path("<str:crn>/person/circumstances/<int:pk>/", person.circumstance, name="circumstance"),
    path("<str:crn>/person/disabilities/new/", person.disability_new, name="disability-new"),
    path("<str:crn>/person/disabilities/<int:pk>/", person.disability, name="disability"),
    path("<str:crn>/flags/new/", record.registration_new, name="registration-new"),
    path("<str:crn>/flags/<int:pk>/review/", record.registration_review, name="registration-review"),
]
