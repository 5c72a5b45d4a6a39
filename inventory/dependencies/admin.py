"""Curators read dependency data in the admin; the crawl writes it."""

from django.contrib import admin

from inventory.dependencies.models import Dependency, Manifest, Package


class ReadOnlyAdmin(admin.ModelAdmin):
    """What the crawl stores is replaced at the next crawl: edits would be lost."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Package)
class PackageAdmin(ReadOnlyAdmin):
    list_display = ("name", "ecosystem")
    list_filter = ("ecosystem",)
    search_fields = ("name",)


@admin.register(Dependency)
class DependencyAdmin(ReadOnlyAdmin):
    list_display = ("package", "repository", "requirement", "resolved_version", "scope", "direct")
    list_filter = ("scope", "direct", "package__ecosystem")
    search_fields = ("package__name", "repository__full_name")
    list_select_related = ("package", "repository")
    raw_id_fields = ("repository", "package")


@admin.register(Manifest)
class ManifestAdmin(ReadOnlyAdmin):
    list_display = ("path", "repository", "ecosystem", "status", "dependencies_count", "read_at")
    list_filter = ("status", "ecosystem", "kind")
    search_fields = ("repository__full_name", "path", "package_name")
    list_select_related = ("repository",)
    raw_id_fields = ("repository",)
