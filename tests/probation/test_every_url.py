"""Walk every URL as every role: nothing errors, and a limited-access case never shows its details."""

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from cases.models import AccessRule
from probation.roles import Role
from tests.factories import case_for

PARAMETERS = {
    "<str:crn>": "L000001",
    "<str:ref>": "1",
    "<int:pk>": "1",
    "<str:code>": "NE-TYN-T1",
    "<str:level>": "pdu",
}


def all_paths() -> list[str]:
    def walk(patterns: list, prefix: str = "") -> list[str]:
        paths = []
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                if not route.startswith("admin/"):
                    paths += walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern):
                for parameter, value in PARAMETERS.items():
                    route = route.replace(parameter, value)
                paths.append("/" + route)
        return paths

    return walk(get_resolver().url_patterns)


def test_the_walk_covers_the_case_pages() -> None:
    paths = all_paths()
    assert "/cases/L000001/" in paths
    assert "/cases/L000001/events/1/allocate/" in paths
    assert all("<" not in path for path in paths), paths


@pytest.mark.parametrize("role", [*list(Role), None])
def test_every_page_answers_every_role_without_error_or_leak(
    client: Client, everyone, colleague, role: Role | None
) -> None:
    limited = case_for(colleague, crn="L000001", first_name="Secretive", last_name="Person").person
    AccessRule.objects.create(person=limited, staff=colleague, kind=AccessRule.Kind.RESTRICTION)
    if role is not None:
        client.force_login(everyone[role].user)
    for path in all_paths():
        response = client.get(path)
        assert response.status_code in {200, 302, 403, 404, 405}, (role, path, response.status_code)
        assert "Secretive" not in response.content.decode(), (role, path)
