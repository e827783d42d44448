"""Roles are Django groups. Each has a home page; a person with several roles lands on the
most senior one and sees a navigation link for each."""

from dataclasses import dataclass
from enum import StrEnum

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser


class Role(StrEnum):
    OFFICER = "officer"
    SPO = "spo"
    PDU_HEAD = "pdu_head"
    REGIONAL_DIRECTOR = "regional_director"
    NATIONAL = "national"
    ADMIN = "admin"


@dataclass(frozen=True)
class RoleHome:
    role: Role
    url_name: str
    label: str


# Most senior first: a user with several roles lands on the first home they hold.
ROLE_HOMES: tuple[RoleHome, ...] = (
    RoleHome(Role.ADMIN, "admin-home", "Admin"),
    RoleHome(Role.NATIONAL, "regions:national", "National"),
    RoleHome(Role.REGIONAL_DIRECTOR, "regions:region", "Region"),
    RoleHome(Role.PDU_HEAD, "regions:pdu", "PDU"),
    RoleHome(Role.SPO, "regions:team", "Team"),
    RoleHome(Role.OFFICER, "cases:today", "Today"),
)


def roles_of(user: AbstractBaseUser | AnonymousUser) -> frozenset[Role]:
    """The user's roles, read once per request and kept on the user object. Someone whose staff record says
    they have left holds none, whatever their groups say."""
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    cached: frozenset[Role] | None = getattr(user, "_roles", None)
    if cached is None:
        staff = getattr(user, "staff", None)
        if staff is not None and not staff.active:
            user._roles = frozenset()  # type: ignore[attr-defined]
            return frozenset()
        read = getattr(user, "group_names", None)  # read with the user by the sign-in backend (probation/auth.py)
        names = set(read if read is not None else user.groups.values_list("name", flat=True))  # type: ignore[attr-defined]
        cached = frozenset(Role(name) for name in names if name in Role._value2member_map_)
        if user.is_superuser:  # type: ignore[attr-defined]
            cached = cached | {Role.ADMIN}
        user._roles = cached  # type: ignore[attr-defined]
    return cached


# Pages beyond the homes, each for the roles that use it.
ROLE_PAGES: tuple[RoleHome, ...] = (
    RoleHome(Role.OFFICER, "cases:my-cases", "My cases"),
    RoleHome(Role.OFFICER, "cases:outcomes", "Outcomes to log"),
    RoleHome(Role.OFFICER, "cases:standards", "Standards"),
    RoleHome(Role.SPO, "cases:standards", "Standards"),
    RoleHome(Role.PDU_HEAD, "cases:standards", "Standards"),
    RoleHome(Role.OFFICER, "interventions:awaiting", "Referrals"),
    RoleHome(Role.SPO, "cases:unallocated", "Cases to allocate"),
    RoleHome(Role.PDU_HEAD, "cases:unallocated", "Cases to allocate"),
    RoleHome(Role.SPO, "cases:oversight", "Oversight"),
    RoleHome(Role.PDU_HEAD, "cases:oversight", "Oversight"),
    RoleHome(Role.SPO, "cases:transfers", "Transfers"),
    RoleHome(Role.PDU_HEAD, "cases:transfers", "Transfers"),
)
SEARCH_LABEL = "Find a person"


def homes_for(user: AbstractBaseUser | AnonymousUser) -> list[RoleHome]:
    roles = roles_of(user)
    return [home for home in ROLE_HOMES if home.role in roles]


def navigation_for(user: AbstractBaseUser | AnonymousUser) -> list[RoleHome]:
    """The service navigation: the user's home pages, the pages of their roles, then search."""
    homes = homes_for(user)
    if not homes:
        return []
    items = homes + [page for page in ROLE_PAGES if page.role in roles_of(user)]
    unique = list({item.url_name: item for item in items}.values())
    return [*unique, RoleHome(homes[0].role, "cases:search", SEARCH_LABEL)]
