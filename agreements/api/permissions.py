from typing import Any

from rest_framework.exceptions import MethodNotAllowed
from rest_framework.permissions import SAFE_METHODS, DjangoModelPermissionsOrAnonReadOnly
from rest_framework.request import Request


class CuratorsWriteOthersRead(DjangoModelPermissionsOrAnonReadOnly):
    """Anyone may read (what they may see); writing needs the model's add/change/delete
    permission, which the curators group holds. Anonymous writes get 401, others 403.

    A method the endpoint does not have is a 405 for everyone, decided before the user: DRF
    checks permissions first, which told an anonymous client to log in (401) and a reader that
    they lacked a permission (403) for a write that no one may make, such as POST /countries/.
    """

    def has_permission(self, request: Request, view: Any) -> bool:
        if request.method not in view.allowed_methods:
            raise MethodNotAllowed(request.method)
        if request.method in SAFE_METHODS:
            # What DRF would answer, without building the view's queryset to learn its model:
            # a read needs no model permission.
            return True
        return super().has_permission(request, view)
