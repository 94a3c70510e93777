"""Choosing between the HTML page and the JSON document of one URL."""

JSON_MEDIA_TYPES = ("application/vc+ld+json", "application/ld+json", "application/json")


def wants_json(request) -> bool:
    """Return True when the Accept header prefers a JSON type over HTML.

    Browsers send ``text/html`` first; verifiers and wallets send one of
    the JSON types. Quality values are honoured, and ``?format=json``
    forces JSON for links that cannot set headers.
    """
    if request.GET.get("format") == "json":
        return True
    best_json = _quality(request, JSON_MEDIA_TYPES)
    best_html = _quality(request, ("text/html", "application/xhtml+xml"))
    return best_json > 0 and best_json >= best_html


def _quality(request, media_types) -> float:
    best = 0.0
    for part in request.headers.get("Accept", "").split(","):
        fields = [field.strip() for field in part.split(";")]
        if fields[0].lower() not in media_types:
            continue
        quality = 1.0
        for parameter in fields[1:]:
            name, _sep, value = parameter.partition("=")
            if name.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        best = max(best, quality)
    return best
