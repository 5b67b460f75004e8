from rest_framework.permissions import DjangoModelPermissionsOrAnonReadOnly


class CuratorsWriteOthersRead(DjangoModelPermissionsOrAnonReadOnly):
    """Anyone may read (what they may see); writing needs the model's add/change/delete
    permission, which the curators group holds. Anonymous writes get 401, others 403."""
