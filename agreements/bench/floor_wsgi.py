"""The floor as a WSGI app: each path of the mix answered by its hand-written floor, with no
framework in between. ``bench --http`` serves it with gunicorn beside the project.

BENCH_AGREEMENTS names the data set size (the mix needs a few facts about the data set).
"""

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
django.setup()

from agreements.bench import dataset, mix  # noqa: E402  (needs the app registry)

ROUTES = {
    request.path: request
    for request in mix.requests(dataset.describe(int(os.environ["BENCH_AGREEMENTS"])))
}


def application(environ: dict, start_response) -> list[bytes]:
    query = environ.get("QUERY_STRING", "")
    path = environ.get("PATH_INFO", "") + (f"?{query}" if query else "")
    request = ROUTES.get(path)
    if request is None:
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"Not a path of the mix."]
    body = request.floor()
    kind = "text/csv; charset=utf-8" if "format=csv" in path else "application/json"
    start_response("200 OK", [("Content-Type", kind), ("Content-Length", str(len(body)))])
    return [body]
