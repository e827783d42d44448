from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from cases import selectors
from cases.forms import SearchForm

MAX_RESULTS = 50


def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    results = None
    if form.is_valid():
        found = selectors.search_people(request.user, form.cleaned_data["q"], form.cleaned_data["date_of_birth"])
        people = list(found.people[: MAX_RESULTS + 1])
        results = {
            "people": people[:MAX_RESULTS],
            "more": len(people) > MAX_RESULTS,
            "limited_match": found.limited_match,
        }
    return render(request, "cases/search.html", {"form": form, "results": results})
