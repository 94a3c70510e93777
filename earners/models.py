"""Earner accounts, claims and the backpack.

Nothing is stored here yet: the first issuing flow gives the earner a link
and a QR code, which need no account.
"""
