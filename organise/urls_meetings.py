from django.urls import path

from .views import meeting_moves as moves
from .views import meeting_networks as networks
from .views import meeting_overview as overview
from .views import meeting_setup as setup

urlpatterns = [
    path("<slug:event>/meetings/", overview.meetings, name="meetings"),
    path("<slug:event>/meetings/nudge/", overview.nudge, name="meetings_nudge"),
    path("<slug:event>/meetings/map/", overview.table_map, name="meetings_map"),
    path("<slug:event>/meetings/report/", overview.report, name="meetings_report"),
    path(
        "<slug:event>/meetings/<uuid:meeting_uuid>/move/",
        moves.move,
        name="meetings_move",
    ),
    path("<slug:event>/meetings/setup/", setup.setup, name="meetings_setup"),
    path("<slug:event>/meetings/limits/", setup.type_limits, name="meetings_limits"),
    path("<slug:event>/meetings/settings/", setup.settings, name="meetings_settings"),
    path(
        "<slug:event>/meetings/blocks/new/", setup.block_edit, name="meetings_block_new"
    ),
    path(
        "<slug:event>/meetings/blocks/<int:block_id>/",
        setup.block_edit,
        name="meetings_block",
    ),
    path(
        "<slug:event>/meetings/blocks/<int:block_id>/delete/",
        setup.block_delete,
        name="meetings_block_delete",
    ),
    path(
        "<slug:event>/meetings/tables/new/", setup.table_edit, name="meetings_table_new"
    ),
    path(
        "<slug:event>/meetings/tables/<int:table_id>/",
        setup.table_edit,
        name="meetings_table",
    ),
    path(
        "<slug:event>/meetings/tables/<int:table_id>/delete/",
        setup.table_delete,
        name="meetings_table_delete",
    ),
    path(
        "<slug:event>/meetings/networks/", networks.networks, name="meetings_networks"
    ),
    path(
        "<slug:event>/meetings/networks/new/",
        networks.network_edit,
        name="meetings_network_new",
    ),
    path(
        "<slug:event>/meetings/networks/<int:network_id>/",
        networks.network,
        name="meetings_network",
    ),
    path(
        "<slug:event>/meetings/networks/<int:network_id>/edit/",
        networks.network_edit,
        name="meetings_network_edit",
    ),
    path(
        "<slug:event>/meetings/networks/<int:network_id>/members/",
        networks.member_add,
        name="meetings_network_add",
    ),
    path(
        "<slug:event>/meetings/networks/<int:network_id>/members/<int:member_id>/remove/",
        networks.member_remove,
        name="meetings_network_remove",
    ),
    path(
        "<slug:event>/meetings/networks/<int:network_id>/requests/<int:member_id>/",
        networks.join_request,
        name="meetings_network_request",
    ),
    path(
        "<slug:event>/meetings/networks/<int:network_id>/cancel/",
        networks.network_cancel,
        name="meetings_network_cancel",
    ),
    path(
        "<slug:event>/meetings/networks/<int:network_id>/restore/",
        networks.network_restore,
        name="meetings_network_restore",
    ),
    path(
        "<slug:event>/meetings/networks/<int:network_id>/delete/",
        networks.network_delete,
        name="meetings_network_delete",
    ),
]
