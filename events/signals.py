from django.dispatch import Signal

# Sent explicitly by events.services after a schedule change is written (inside the
# transaction; receivers defer their work with on_commit). kwargs: changes (a list of
# ScheduleChange), event.
schedule_changed = Signal()

# Sent by events.timetable_marks.collect_marks when a timetable or session page is
# shown, to gather what the apps above add to the shared, cached page: seats left
# and the person's bookmarks and seats. kwargs: event, user, session_uuids (None:
# every session of the event). Receivers return a timetable_marks.TimetableMarks
# in a fixed number of queries.
timetable_marks = Signal()

# Sent by events.views.event_detail for a signed-in visitor, to gather the links
# the apps above offer that person on the event page (for example "My
# networks"). The page itself is not cached, and anonymous visitors cost no
# query. kwargs: event, user. Receivers return a list of (label, url) in a fixed
# number of queries, or an empty list.
personal_links = Signal()
