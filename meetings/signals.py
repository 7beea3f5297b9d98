from django.dispatch import Signal

# Sent explicitly by meetings.services after MeetingFact rows are written (inside
# the transaction; receivers defer their work with on_commit). kwargs: facts (a
# list of MeetingFact).
meeting_fact_recorded = Signal()

# Sent explicitly by meetings.services.network_members when people become members
# of a network (inside the transaction). kwargs: member_ids (a list of ints).
network_members_joined = Signal()

# Sent explicitly by meetings.services.networks when an organiser changes a
# network's meeting itself (its own time or room, cancelled, restored), not when
# it follows a linked session (the schedule digest tells of that). Inside the
# transaction. kwargs: network_id, sequence (the meeting's sequence after the
# change), change ("moved", "cancelled" or "restored").
network_meeting_changed = Signal()
