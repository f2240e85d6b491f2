"""One URL per format: every list or action of a curated viewset that renders another
format than JSON also has a URL of its own for each, the format its suffix
(`/api/v1/events.csv`, `/api/v1/events/export.ndjson`,
`/api/v1/actors/{ref}/network.graphml`). The schema documents each as its own
operation with that one media type, so a client generated from it never gets CSV from
the call it parses as JSON (conflictapi.api.schema.AutoSchema). `?format=` and
`Accept` on the plain URL stay aliases of the suffix."""

from django.urls import path, re_path
from rest_framework.routers import SimpleRouter

# A format's URL is read-only: GET and HEAD (OPTIONS would render its metadata in
# GraphML or CSV; it is the plain URL's).
GET = ["get", "head"]
# Formats that are the plain URL's, not a suffix of their own.
PLAIN = ("json", "api")


def formats_of(viewset, action, initkwargs=None):
    """The formats other than JSON that `viewset` renders for `action` (with the
    action's own settings, `@action(renderer_classes=…)` among them)."""
    if initkwargs is None:
        initkwargs = getattr(getattr(viewset, action), "kwargs", {})
    view = viewset(action=action, format_kwarg=None, **initkwargs)
    view.request = None
    return [r.format for r in view.get_renderers() if r.format not in PLAIN]


class FormatRouter(SimpleRouter):
    def get_urls(self):
        urls = super().get_urls()
        for prefix, viewset, basename in self.registry:
            lookup = self.get_lookup_regex(viewset)
            for route in self.get_routes(viewset):
                mapping = self.get_method_map(viewset, route.mapping)
                action = mapping.get("get")
                if action is None:
                    continue
                regex = route.url.replace("{trailing_slash}$", r"\.{format}$")
                for fmt in formats_of(viewset, action, route.initkwargs):
                    url = regex.format(prefix=prefix, lookup=lookup, format=fmt)
                    initkwargs = {**route.initkwargs, "basename": basename, "detail": route.detail}
                    view = viewset.as_view(
                        {"get": action}, fixed_format=fmt, http_method_names=GET, **initkwargs
                    )
                    name = f"{route.name.format(basename=basename)}-{fmt}"
                    urls.append(re_path(url, view, name=name))
        return urls


def paths_with_formats(route, viewset, action, name):
    """`path(route, …)` for one GET action, and `route` with each of the action's other
    formats as a suffix in place of its trailing slash."""
    assert route.endswith("/")
    patterns = [path(route, viewset.as_view({"get": action}), name=name)]
    for fmt in formats_of(viewset, action):
        view = viewset.as_view({"get": action}, fixed_format=fmt, http_method_names=GET)
        patterns.append(path(f"{route[:-1]}.{fmt}", view, name=f"{name}-{fmt}"))
    return patterns
