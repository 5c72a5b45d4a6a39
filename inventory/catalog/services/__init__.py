"""Every write on the catalog, with its permission checks and the SILL's rules."""

from inventory.catalog.services.comments import (
    comment_create,
    comment_edit,
    comment_hide,
    comment_report,
    comment_reports_resolve,
    comment_unhide,
)
from inventory.catalog.services.declarations import (
    referent_declare,
    referent_withdraw,
    user_declare,
    user_withdraw,
)
from inventory.catalog.services.instances import (
    instance_add,
    instance_delete,
    instance_is_editable,
    instance_update,
)
from inventory.catalog.services.merge import software_merge
from inventory.catalog.services.software import (
    software_accept,
    software_dereference,
    software_duplicate_refuse,
    software_find_duplicate,
    software_propose,
    software_recommend,
    software_update,
)

__all__ = [
    "comment_create",
    "comment_edit",
    "comment_hide",
    "comment_report",
    "comment_reports_resolve",
    "comment_unhide",
    "instance_add",
    "instance_delete",
    "instance_is_editable",
    "instance_update",
    "referent_declare",
    "referent_withdraw",
    "software_accept",
    "software_dereference",
    "software_duplicate_refuse",
    "software_find_duplicate",
    "software_merge",
    "software_propose",
    "software_recommend",
    "software_update",
    "user_declare",
    "user_withdraw",
]
