"""Delivery: the persistent outbox, the notifier that decides who hears what, splitting and
forward batches, the sender that drains the outbox (rate limit, retries, crash recovery), routes
to members who are not the account's friend, and the failure report to staff."""
