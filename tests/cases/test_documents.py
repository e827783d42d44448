"""Documents on a case (issue 22): an upload is checked by its content, its size and its name, with GOV.UK errors;
it is kept under a random name in the documents store; the list and the download follow the case's access rules,
and every download is audited."""

import io
import zipfile
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from cases.documents.forms import DocumentUploadForm
from cases.models import AuditEvent, Document, Event

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32
DOC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 32
HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64


def docx(parts: tuple[str, ...] = ("[Content_Types].xml", "word/document.xml")) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for part in parts:
            archive.writestr(part, "<xml/>")
    return buffer.getvalue()


def upload(client: Client, name: str, content: bytes, **fields: str):
    data = {
        "file": SimpleUploadedFile(name, content, content_type="application/pdf"),  # the browser's word: ignored
        "type": fields.get("type", "pre_sentence_report"),
        "dated_on_0": "19",
        "dated_on_1": "11",
        "dated_on_2": "2026",
    }
    return client.post("/cases/X123456/documents/new/", data)


def form_errors(name: str, content: bytes) -> list[str]:
    file = SimpleUploadedFile("upload", content)
    setattr(file, "_name", name)  # noqa: B010  # as given: UploadedFile's own setter would keep only the last part of a path
    form = DocumentUploadForm(
        {"type": "licence", "dated_on_0": "1", "dated_on_1": "11", "dated_on_2": "2026"}, {"file": file}
    )
    assert not form.is_valid()
    return [str(error) for error in form.errors["file"]]


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("report.pdf", PDF, "application/pdf"),
        ("photo.PNG", PNG, "image/png"),
        ("photo.jpeg", JPEG, "image/jpeg"),
        ("old.doc", DOC, "application/msword"),
        ("letter.docx", docx(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ],
)
def test_an_officer_uploads_a_safe_document_kept_under_a_random_name(
    client: Client, community_order: Event, name: str, content: bytes, content_type: str
) -> None:
    client.force_login(community_order.allocations.get().staff.user)  # type: ignore[arg-type]
    response = upload(client, name, content)
    assert response.status_code == 302, response.content.decode()
    document = Document.objects.get()
    assert (document.name, document.content_type, document.size, document.dated_on) == (
        name,
        content_type,
        len(content),
        date(2026, 11, 19),
    )
    assert name not in str(document.file.name)
    assert len(str(document.file.name)) == 34
    with document.file.open("rb") as stored:
        assert stored.read() == content
    audit = AuditEvent.objects.get(action="document.add")
    assert (audit.object_type, audit.detail["name"]) == ("document", name)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("report.pdf", HTML),  # a web page named as a PDF
        ("report.pdf", EXE),  # a program named as a PDF
        ("report.docx", docx(("[Content_Types].xml", "xl/workbook.xml"))),  # a spreadsheet, not a Word document
        ("report.docx", b"PK\x03\x04 not a zip at all"),
    ],
)
def test_a_wrong_type_disguised_by_its_name_is_refused(client: Client, officer, community_order, name, content) -> None:
    client.force_login(officer.user)
    response = upload(client, name, content)
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert "govuk-error-summary" in page
    assert "The selected file must be a PDF, a PNG or JPEG picture, or a Word document" in page
    assert "govuk-file-upload--error" in page
    assert Document.objects.count() == 0


def test_a_safe_file_under_another_name_is_refused_too(client: Client, officer, community_order) -> None:
    """A real PDF called page.html would be saved by the browser as a web page: its name must say what it is."""
    client.force_login(officer.user)
    page = upload(client, "page.html", PDF).content.decode()
    assert "The selected file is a PDF but its name does not end in .pdf: rename it to end in .pdf" in page
    assert Document.objects.count() == 0


def test_an_oversize_file_is_refused_and_not_kept(client: Client, officer, community_order, settings) -> None:
    settings.DOCUMENT_MAX_BYTES = 4096
    client.force_login(officer.user)
    page = upload(client, "big.pdf", PDF + b"0" * 5000).content.decode()
    assert "The selected file must be smaller than 0.00390625MB" in page  # the handler stopped reading it
    assert Document.objects.count() == 0
    assert upload(client, "small.pdf", PDF + b"0" * 1000).status_code == 302  # under the limit: kept


def test_the_size_limit_is_ten_megabytes_by_default(settings) -> None:
    assert settings.DOCUMENT_MAX_BYTES == 10 * 1024 * 1024
    errors = form_errors("big.pdf", PDF + b"0" * (10 * 1024 * 1024))
    assert errors == ["The selected file must be smaller than 10MB"]


@pytest.mark.parametrize("name", ["../../etc/report.pdf", "reports/report.pdf", "C:\\Users\\me\\report.pdf", ".."])
def test_a_name_with_a_path_in_it_is_refused(name: str) -> None:
    """The form refuses a path, whoever gives it the file (through a request, Django has already cut it off:
    see the next test)."""
    assert form_errors(name, PDF) == ["The selected file's name must not include a folder (/ or \\ or ..)"]


def test_a_path_sent_in_the_request_never_reaches_the_store(client: Client, officer, community_order) -> None:
    """Django's request parser keeps only the last part of a name sent with a path; the store's name is random."""
    client.force_login(officer.user)
    boundary = "BoUnDaRy"
    parts = [
        ("type", b"licence"),
        ("dated_on_0", b"1"),
        ("dated_on_1", b"11"),
        ("dated_on_2", b"2026"),
    ]
    body = b"".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n'.encode() + value + b"\r\n"
        for key, value in parts
    )
    body += (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="../../../etc/licence.pdf"\r\n'
            "Content-Type: application/pdf\r\n\r\n"
        ).encode()
        + PDF
        + f"\r\n--{boundary}--\r\n".encode()
    )
    response = client.generic(
        "POST", "/cases/X123456/documents/new/", body, content_type=f"multipart/form-data; boundary={boundary}"
    )
    assert response.status_code == 302
    document = Document.objects.get()
    assert document.name == "licence.pdf"
    assert ".." not in str(document.file.name)


def test_an_empty_upload_and_missing_answers_get_govuk_errors(client: Client, officer, community_order) -> None:
    client.force_login(officer.user)
    page = client.post("/cases/X123456/documents/new/", {}).content.decode()
    for message in ("Select a file", "Select what the document is", "Enter the date of the document"):
        assert message in page
    assert "The selected file is empty" in upload(client, "empty.pdf", b"").content.decode()


@pytest.fixture
def document(community_order: Event) -> Document:
    from django.core.files.base import ContentFile

    from cases.documents import services

    officer = community_order.allocations.get().staff
    return services.document_add(
        person=community_order.person,
        user=officer.user,  # type: ignore[arg-type]
        file=ContentFile(PDF, name="psr.pdf"),
        name="psr.pdf",
        content_type="application/pdf",
        type=Document.Type.PRE_SENTENCE_REPORT,
        dated_on=date(2026, 11, 2),
    )


def test_a_download_is_an_audited_attachment(
    client: Client, colleague, document: Document, django_assert_max_num_queries
) -> None:
    client.force_login(colleague.user)
    with django_assert_max_num_queries(12):
        response = client.get(f"/cases/X123456/documents/{document.pk}/")
    assert response.status_code == 200
    assert response.content == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="psr.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    downloads = AuditEvent.objects.filter(action="document.download", user=colleague.user)
    assert list(downloads.values_list("object_type", "object_id", "detail")) == [
        ("document", str(document.pk), {"name": "psr.pdf", "type": "pre_sentence_report"})
    ]
    client.get(f"/cases/X123456/documents/{document.pk}/")
    assert downloads.count() == 2  # every download


def test_the_list_shows_the_documents_in_a_fixed_number_of_queries(
    client: Client, officer, document: Document, django_assert_max_num_queries
) -> None:
    client.force_login(officer.user)
    with django_assert_max_num_queries(20):
        page = client.get("/cases/X123456/documents/").content.decode()
    assert "psr.pdf" in page
    assert "Pre-sentence report" in page
    assert "2 Nov 2026" in page
    assert f"/cases/X123456/documents/{document.pk}/" in page
    assert "Upload a document" in page


def test_downloads_are_refused_to_a_limited_access_outsider(
    client: Client, officer, excluded_case, restricted_case
) -> None:
    from django.core.files.base import ContentFile

    from cases.documents import services

    for person in (excluded_case, restricted_case):
        owner = person.events.get().allocations.get().staff
        document = services.document_add(
            person=person,
            user=owner.user,
            file=ContentFile(PDF, name="licence.pdf"),
            name="licence.pdf",
            content_type="application/pdf",
            type=Document.Type.LICENCE,
            dated_on=date(2026, 11, 2),
        )
        client.force_login(officer.user)
        response = client.get(f"/cases/{person.crn}/documents/{document.pk}/")
        assert response.status_code == 403
        assert PDF not in response.content
        assert "licence.pdf" not in response.content.decode()
        assert client.get(f"/cases/{person.crn}/documents/").status_code == 403
        assert not AuditEvent.objects.filter(action="document.download", person=person).exists()
        assert AuditEvent.objects.filter(action="case.view_refused", person=person, user=officer.user).exists()


def test_a_document_is_not_found_through_another_case(client: Client, officer, document: Document) -> None:
    from tests.factories import case_for

    other = case_for(officer, crn="Y654321")
    client.force_login(officer.user)
    assert client.get(f"/cases/{other.person.crn}/documents/{document.pk}/").status_code == 404


def test_uploading_is_for_those_who_may_change_the_case(client: Client, colleague, community_order) -> None:
    client.force_login(colleague.user)
    assert client.get("/cases/X123456/documents/new/").status_code == 403
    assert upload(client, "report.pdf", PDF).status_code == 403
    assert Document.objects.count() == 0
