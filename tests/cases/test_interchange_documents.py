"""Documents in probation-cases/1 (issue 22): metadata only, an optional key of the person; the round trip keeps
every document's type, date, name, content type, size and letter, and an import never deletes a stored file."""

import copy
from datetime import date

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.test import Client

from cases.documents import services
from cases.interchange import exporter
from cases.interchange.importer import ImportRefused, import_document
from cases.models import ContactType, Document, Event
from cases.reference import ensure_contact_types
from probation.roles import Role
from tests.factories import StaffMemberFactory

PDF = b"%PDF-1.7\n%%EOF\n"


@pytest.fixture
def with_documents(officer, community_order: Event) -> Event:
    services.document_add(
        person=community_order.person,
        user=officer.user,
        file=ContentFile(PDF, name="psr.pdf"),
        name="psr.pdf",
        content_type="application/pdf",
        type=Document.Type.PRE_SENTENCE_REPORT,
        dated_on=date(2026, 11, 2),
    )
    return community_order


@pytest.mark.django_db(transaction=True)
def test_documents_travel_as_metadata_and_survive_a_round_trip(with_documents: Event, officer) -> None:
    first = exporter.document()
    assert first["people"][0]["documents"] == [
        {
            "type": "pre_sentence_report",
            "date": "2026-11-02",
            "name": "psr.pdf",
            "content_type": "application/pdf",
            "size": len(PDF),
            "letter": None,
        }
    ]
    call_command("flush", "--noinput")
    ensure_contact_types(ContactType)
    import_document(first)
    assert exporter.document() == first
    document = Document.objects.get()
    assert not document.file  # the file itself does not travel

    reader = StaffMemberFactory.create(  # the flush took the logins: any officer may read the case
        team=document.person.events.get().allocations.get().staff.team, user__roles=[Role.OFFICER]
    )
    client = Client()
    client.force_login(reader.user)  # type: ignore[arg-type]
    page = client.get("/cases/X123456/documents/").content.decode()
    assert "psr.pdf" in page
    assert "the file is held elsewhere" in page
    assert client.get(f"/cases/X123456/documents/{document.pk}/").status_code == 404


@pytest.mark.django_db
def test_an_import_keeps_a_stored_file_and_a_file_without_the_key_leaves_documents_alone(
    with_documents: Event,
) -> None:
    exported = exporter.document()
    assert import_document(exported).unchanged == 1  # the same file again: nothing changes
    stored = Document.objects.get()
    assert stored.file

    without = copy.deepcopy(exported)
    del without["people"][0]["documents"]
    import_document(without)
    assert list(Document.objects.values_list("pk", flat=True)) == [stored.pk]

    emptied = copy.deepcopy(exported)
    emptied["people"][0]["documents"] = []
    import_document(emptied)
    assert list(Document.objects.values_list("pk", flat=True)) == [stored.pk]  # its file is here: kept

    added = copy.deepcopy(exported)
    added["people"][0]["documents"].append(
        {"type": "licence", "date": "2026-10-01", "name": "licence.pdf", "content_type": "application/pdf"}
    )
    import_document(added)
    assert sorted(Document.objects.values_list("name", flat=True)) == ["licence.pdf", "psr.pdf"]
    import_document(exported)  # a metadata-only document the file no longer lists is removed
    assert list(Document.objects.values_list("name", flat=True)) == ["psr.pdf"]


@pytest.mark.django_db
def test_a_wrong_document_is_a_problem_at_its_path(with_documents: Event) -> None:
    exported = exporter.document()
    exported["people"][0]["documents"][0]["type"] = "selfie"
    exported["people"][0]["documents"][0]["date"] = "yesterday"
    with pytest.raises(ImportRefused) as refused:
        import_document(exported)
    problems = "\n".join(refused.value.problems)
    assert "people[0].documents[0].type: not one of" in problems
    assert "people[0].documents[0].date" in problems
