"""Walk every role's home page as every role: each sees its own and is refused the others'."""

import pytest
from django.test import Client

from probation.roles import ROLE_HOMES, Role

PATHS = {
    Role.OFFICER: "/cases/",
    Role.SPO: "/team/",
    Role.PDU_HEAD: "/pdu/",
    Role.REGIONAL_DIRECTOR: "/region/",
    Role.NATIONAL: "/national/",
    Role.ADMIN: "/admin-home/",
}


# An SPO or PDU head opens an officer's caseload from the team dashboard (and may hold cases themselves).
MANAGERS_MAY_OPEN = {("/cases/", Role.SPO), ("/cases/", Role.PDU_HEAD)}


def test_every_role_has_a_home_page() -> None:
    assert {home.role for home in ROLE_HOMES} == set(Role)


@pytest.mark.parametrize("viewer", list(Role))
def test_each_role_reaches_only_its_own_home_page(client: Client, everyone, viewer: Role) -> None:
    client.force_login(everyone[viewer].user)
    for role, path in PATHS.items():
        response = client.get(path)
        if role == viewer or (path, viewer) in MANAGERS_MAY_OPEN:
            assert response.status_code == 200, path
        else:
            assert response.status_code == 403, (viewer, path)
            assert "You do not have access to this page" in response.content.decode()


@pytest.mark.parametrize("viewer", list(Role))
def test_navigation_shows_only_the_viewers_own_pages(client: Client, everyone, viewer: Role) -> None:
    client.force_login(everyone[viewer].user)
    page = client.get(PATHS[viewer]).content.decode()
    for role, path in PATHS.items():
        assert (f'href="{path}"' in page) == (role == viewer), (viewer, path)
