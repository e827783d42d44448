import pytest
from django.test import Client

from probation.views import server_error


def test_a_missing_page_gets_the_govuk_not_found_page(client: Client, officer) -> None:
    client.force_login(officer.user)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Page not found" in page
    assert "govuk-header" in page


def test_the_server_error_page_renders_without_touching_the_database(rf) -> None:
    # No db fixture: any query here would raise.
    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.content.decode()


@pytest.mark.django_db
def test_the_sign_in_page_has_the_govuk_layout(client: Client) -> None:
    page = client.get("/sign-in/").content.decode()
    for part in [
        "govuk-skip-link",
        "govuk-header",
        "govuk-service-navigation",
        "Manage people on probation",
        "govuk-phase-banner",
        "govuk-footer",
        'type="module"',
    ]:
        assert part in page, part


def test_a_request_that_cannot_be_read_gets_the_govuk_400_page(client: Client, officer) -> None:
    client.force_login(officer.user)
    response = client.get("/cases/%00/")
    assert response.status_code == 400
    assert "Sorry, there is a problem with that request" in response.content.decode()
    assert "Content-Security-Policy" in response.headers
