from django.dispatch import Signal

# Sent explicitly by meetings.services after MeetingFact rows are written (inside
# the transaction; receivers defer their work with on_commit). kwargs: facts (a
# list of MeetingFact).
meeting_fact_recorded = Signal()

# Sent explicitly by meetings.services.network_members when people become members
# of a network (inside the transaction). kwargs: member_ids (a list of ints).
network_members_joined = Signal()
