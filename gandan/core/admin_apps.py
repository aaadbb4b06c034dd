from django.contrib.admin.apps import AdminConfig


class GandanAdminConfig(AdminConfig):
    """Django's admin with the audited site (``core.admin_site``) as ``admin.site``."""

    default_site = "gandan.core.admin_site.AuditedAdminSite"
