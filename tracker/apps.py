from django.contrib.admin.apps import AdminConfig


class TrackerAdminConfig(AdminConfig):
    """The admin with sign-in lockout (the site lives apart: it needs the auth models)."""

    default_site = "tracker.admin_site.TrackerAdminSite"
