from django.dispatch import Signal

# Sent explicitly by events.services after a schedule change is written (inside the
# transaction; receivers defer their work with on_commit). kwargs: changes (a list of
# ScheduleChange), event.
schedule_changed = Signal()
