"""Code-inventory and statistics pages (built separately); included by inventory/web/urls.py."""

urlpatterns: list = []
