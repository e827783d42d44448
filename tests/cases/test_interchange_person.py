"""The optional person keys of probation-cases/1 (INTERCHANGE.md): the documented shape imports, every key survives
a round trip, a file without them still imports, and bad values are problems named by their path."""

import copy
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command

from cases.interchange import exporter
from cases.interchange.importer import ImportRefused, import_document
from cases.models import Address, ContactType, Person, Predictor, RoshAssessment
from cases.reference import ensure_contact_types
from tests.cases.test_interchange import EXAMPLE

# The documented example of INTERCHANGE.md's "Optional person keys", with every value set each key allows used once.
OPTIONAL: dict[str, Any] = {
    "preferred_name": "Sammy",
    "pronouns": "they/them",
    "language": "Polish",
    "interpreter": True,
    "phones": [
        {"number": "07700 900123", "type": "mobile"},
        {"number": "0191 496 0000", "type": "home"},
        {"number": "0191 496 0001", "type": "work"},
    ],
    "email": "sam@example.org",
    "cro": "123456/08A",
    "addresses": [
        {"lines": "1 High Street\nNewcastle", "postcode": "NE1 1AA", "type": "main", "from": "2025-01-01", "to": None},
        {"lines": "Flat 2\nGateshead", "postcode": None, "type": "secondary", "from": "2025-02-01", "to": None},
        {
            "lines": "Hostel\nDurham",
            "postcode": None,
            "type": "approved_premises",
            "from": "2024-06-01",
            "to": "2024-09-30",
        },
        {"lines": "", "postcode": None, "type": "no_fixed_abode", "from": "2024-10-01", "to": "2024-12-31"},
    ],
    "contacts": [
        {
            "name": f"Contact {relationship}",
            "relationship": relationship,
            "phone": "0191 496 0000" if relationship == "next_of_kin" else None,
            "address": "3 Low Road" if relationship == "gp" else None,
            "from": "2025-01-01",
            "to": "2025-06-30" if relationship == "employer" else None,
            "notes": "Call first" if relationship == "family" else None,
        }
        for relationship in [
            "next_of_kin",
            "family",
            "partner",
            "gp",
            "social_worker",
            "employer",
            "other_professional",
            "other",
        ]
    ],
    "circumstances": [
        {"type": kind, "value": "settled", "from": "2025-01-01", "to": None, "notes": None}
        for kind in ["accommodation", "employment", "benefits", "caring_responsibilities", "children_in_household"]
    ],
    "disabilities": [
        {"type": "learning_difficulty", "adjustments": "Letters read aloud", "from": "2025-01-01", "to": None},
        {"type": "mobility", "adjustments": None, "from": "2024-01-01", "to": "2024-12-31"},
    ],
    "rosh_assessments": [
        {
            "assessed_on": "2026-01-10",
            "community": {"children": "low", "public": "medium", "known_adult": "high", "staff": "low"},
            "custody": None,
        },
        {
            "assessed_on": "2026-03-10",
            "community": {"children": "very_high", "public": None, "known_adult": None, "staff": None},
            "custody": {"children": "low", "public": "low", "known_adult": "medium", "staff": "high"},
            "assessed_by": "NE001",
        },
    ],
    "predictors": [
        {"name": "OGRS3", "score": 34.5, "band": "medium", "on": "2026-01-10"},
        {"name": "RSR", "score": 2, "band": "low", "on": "2026-01-10"},
        {"name": "OSP-C", "score": None, "band": "high", "on": "2026-01-11"},
        {"name": "OSP-I", "score": 1.25, "band": None, "on": "2026-01-11"},
    ],
}


def with_optional(**changes: Any) -> dict[str, Any]:
    document = copy.deepcopy(EXAMPLE)
    document["people"][0] |= copy.deepcopy(OPTIONAL) | changes
    return document


@pytest.mark.django_db
def test_the_documented_optional_keys_import_into_the_record() -> None:
    import_document(with_optional())
    person = Person.objects.get(crn="X123456")
    assert (person.preferred_name, person.pronouns, person.language, person.interpreter) == (
        "Sammy",
        "they/them",
        "Polish",
        True,
    )
    assert (person.email, person.cro) == ("sam@example.org", "123456/08A")
    assert [(p.number, p.type) for p in person.phones.order_by("id")] == [
        ("07700 900123", "mobile"),
        ("0191 496 0000", "home"),
        ("0191 496 0001", "work"),
    ]
    assert Address.objects.filter(person=person, to_date__isnull=True).count() == 2  # main and secondary
    assert person.personal_contacts.count() == 8
    assert person.circumstances.count() == 5
    assert person.disabilities.get(to_date__isnull=True).adjustments == "Letters read aloud"
    latest = RoshAssessment.objects.filter(person=person).order_by("-assessed_on").first()
    assert latest is not None
    assert latest.assessed_by is not None
    assert (latest.overall, latest.custody_staff, latest.assessed_by.code) == ("very_high", "high", "NE001")
    assert Predictor.objects.get(person=person, name="OGRS3").score == Decimal("34.5")


@pytest.mark.django_db(transaction=True)
def test_every_optional_key_survives_export_import_export() -> None:
    import_document(with_optional())
    first = exporter.document()
    written = first["people"][0]
    for key in OPTIONAL:
        assert key in written, key
    assert {a["type"] for a in written["addresses"]} == {"main", "secondary", "approved_premises", "no_fixed_abode"}
    assert {c["relationship"] for c in written["contacts"]} == {c["relationship"] for c in OPTIONAL["contacts"]}
    assert written["predictors"][0] == {"name": "OGRS3", "score": 34.5, "band": "medium", "on": "2026-01-10"}
    call_command("flush", "--noinput")
    ensure_contact_types(ContactType)
    import_document(first)
    assert exporter.document() == first


@pytest.mark.django_db
def test_a_file_without_them_imports_and_the_export_leaves_them_out() -> None:
    import_document(copy.deepcopy(EXAMPLE))
    written = exporter.document()["people"][0]
    absent = set(OPTIONAL) - {"addresses"}
    assert absent.isdisjoint(written)
    person = Person.objects.get(crn="X123456")
    assert (person.preferred_name, person.interpreter, person.phones.count()) == ("", False, 0)


@pytest.mark.django_db
def test_importing_again_without_them_clears_them() -> None:
    import_document(with_optional())
    import_document(copy.deepcopy(EXAMPLE))
    person = Person.objects.get(crn="X123456")
    assert person.rosh_assessments.count() == person.predictors.count() == person.disabilities.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"phones": [{"number": "1", "type": "pager"}]}, "people[0].phones[0].type: not one of home, mobile, work"),
        ({"interpreter": "yes"}, "people[0].interpreter: not true or false"),
        ({"cro": "12/3"}, "people[0].cro: not in the format"),
        ({"email": "not an email"}, "people[0].email: not in the format"),
        (
            {"contacts": [{"name": "A", "relationship": "cousin", "from": "2025-01-01"}]},
            "people[0].contacts[0].relationship: not one of employer, family, gp, next_of_kin, other",
        ),
        (
            {"contacts": [{"name": "A", "relationship": "gp", "from": "2025-01-01", "to": "2024-01-01"}]},
            "people[0].contacts[0].to: before the 'from' date",
        ),
        (
            {"circumstances": [{"type": "pets", "value": "a dog", "from": "2025-01-01"}]},
            "people[0].circumstances[0].type: not one of accommodation",
        ),
        ({"disabilities": [{"type": "mobility", "from": "soon"}]}, "people[0].disabilities[0].from: not a date"),
        (
            {"rosh_assessments": [{"assessed_on": "2026-01-10", "community": {"children": "extreme"}}]},
            "people[0].rosh_assessments[0].community.children: not one of high, low, medium, very_high",
        ),
        (
            {"rosh_assessments": [{"assessed_on": "2026-01-10", "community": None, "custody": None}]},
            "people[0].rosh_assessments[0]: a RoSH assessment needs at least one level",
        ),
        (
            {"rosh_assessments": [{"assessed_on": "2026-01-10", "custody": {"staff": "low"}, "assessed_by": "ZZ9"}]},
            "people[0].rosh_assessments[0].assessed_by: no staff member with code ZZ9",
        ),
        (
            {"predictors": [{"name": "OGRS4", "score": 1, "on": "2026-01-10"}]},
            "people[0].predictors[0].name: not one of",
        ),
        ({"predictors": [{"name": "RSR", "score": 101, "on": "2026-01-10"}]}, "people[0].predictors[0].score: must be"),
        ({"predictors": [{"name": "RSR", "on": "2026-01-10"}]}, "people[0].predictors[0]: a predictor needs a score"),
        (
            {
                "addresses": [
                    {"lines": "1 A St", "type": "main", "from": "2025-01-01", "to": None},
                    {"lines": "AP", "type": "approved_premises", "from": "2025-02-01", "to": None},
                ]
            },
            "people[0].addresses: more than one current address",
        ),
        ({"addresses": [{"lines": "1 A St", "type": "castle", "from": "2025-01-01"}]}, "addresses[0].type: not one of"),
    ],
)
def test_bad_values_are_refused_with_their_path(changes: dict[str, Any], problem: str) -> None:
    with pytest.raises(ImportRefused) as refused:
        import_document(with_optional(**changes))
    assert any(problem in p for p in refused.value.problems), refused.value.problems
    assert not Person.objects.exists()
