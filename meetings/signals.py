from django.dispatch import Signal

# Sent explicitly by meetings.services after MeetingFact rows are written (inside
# the transaction; receivers defer their work with on_commit). kwargs: facts (a
# list of MeetingFact).
meeting_fact_recorded = Signal()
