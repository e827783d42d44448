from django.http import HttpRequest


def query_without(request: HttpRequest, *names: str) -> str:
    """The page's query string less some parameters: what links on a list keep (filters) when they set
    their own (page, sort)."""
    keep = request.GET.copy()
    for name in names:
        keep.pop(name, None)
    return keep.urlencode()
