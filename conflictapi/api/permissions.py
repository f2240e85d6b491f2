from rest_framework.exceptions import MethodNotAllowed
from rest_framework.permissions import SAFE_METHODS, DjangoModelPermissions


class CuratorPermissions(DjangoModelPermissions):
    """Reads are open (the viewset limits anonymous readers to published records);
    writes need Django's model permissions: `curators` add and change, `editors` also
    publish, retract and delete drafts. A method the view does not serve (TRACE, a POST
    to a read-only view) is a 405 whoever asks, before any of that; a view that is not
    over a model's records (the ACLED and UCDP reads) is read-only."""

    perms_map = {
        **DjangoModelPermissions.perms_map,
        "GET": [],
        "HEAD": [],
        "OPTIONS": [],
    }

    def has_permission(self, request, view):
        if getattr(view, request.method.lower(), None) is None:
            raise MethodNotAllowed(request.method)
        if request.method in SAFE_METHODS:
            return True
        if getattr(view, "queryset", None) is None and not hasattr(view, "get_queryset"):
            return False
        if getattr(view, "action", None) in ("publish", "retract"):
            return bool(request.user and request.user.is_authenticated) and can_publish(
                request.user, view.get_queryset().model
            )
        return super().has_permission(request, view)


def can_publish(user, model):
    opts = model._meta
    return user.has_perm(f"{opts.app_label}.publish_{opts.model_name}")


def can_see_unpublished(user, model):
    opts = model._meta
    return bool(user and user.is_authenticated) and user.has_perm(
        f"{opts.app_label}.view_{opts.model_name}"
    )
