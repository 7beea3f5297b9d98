"""The migrations that bring the door's lists: registrations made before keep their
place, get a 130-bit code, and whoever was checked in stays so on the main list."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

pytestmark = pytest.mark.django_db(transaction=True)

# The other apps at the state these migrations were written against.
OTHERS = [
    ("accounts", "0002_user_sort_name"),
    ("events", "0006_merge_content_languages_editor_feeds"),
]
BEFORE = [("registrations", "0005_merge_bulk_operations_commitments"), *OTHERS]
AFTER = [("registrations", "0007_checkin_lists"), *OTHERS]


@pytest.fixture(autouse=True)
def _back_to_the_newest_schema():
    """Later tests need every migration applied, whatever this test left."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_old_short_codes_are_replaced_and_check_ins_kept_on_the_main_list():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    Event = old.get_model("events", "Event")
    User = old.get_model("accounts", "User")
    Registration = old.get_model("registrations", "Registration")
    now = timezone.now()
    event = Event.objects.create(
        slug="old", title="Old", starts_at=now, ends_at=now + timezone.timedelta(days=1)
    )
    came, stayed_away = (
        Registration.objects.create(
            event=event,
            attendee=User.objects.create(email=f"{name}@example.org"),
            checkin_code=code,
            manage_token=f"token-{name}",
            checked_in_at=at,
        )
        for name, code, at in [
            ("came", "ABCDEFGH23", now),
            ("away", "ZYXWVUTS98", None),
        ]
    )

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    codes = dict(
        new.get_model("registrations", "Registration").objects.values_list(
            "pk", "checkin_code"
        )
    )
    main = new.get_model("registrations", "CheckInList").objects.get(event_id=event.pk)
    checkins = new.get_model("registrations", "CheckIn").objects.filter(
        checkin_list=main
    )

    assert main.is_main
    assert all(len(code) == 26 for code in codes.values())
    assert codes[came.pk] != "ABCDEFGH23"
    assert list(checkins.values_list("registration_id", "outcome")) == [
        (came.pk, "admitted")
    ]
    assert stayed_away.pk in codes
