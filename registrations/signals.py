from django.dispatch import Signal

# Sent explicitly by registrations.services after Activity rows are written (inside
# the transaction; receivers defer their work with on_commit). kwargs: activities
# (a list of Activity).
activity_recorded = Signal()
