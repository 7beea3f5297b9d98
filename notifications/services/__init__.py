"""Who is told what: composing outbox messages from facts, and delivering them.

compose (registration facts), digests (schedule changes), reminders, broadcasts,
rendering (templates to a Message), outbox (store and queue), delivery (send one),
pauses (delivery stopped while the mail server refuses our settings), sweeps (the
periodic safety net), publishing (every task handed to the broker).
"""
