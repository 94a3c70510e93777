"""Bulk issuing: many badges from a spreadsheet or a typed list, issued by a background task.

``parsing`` reads a file into raw rows (pure Python), ``validation`` checks
each row and computes its idempotency key, ``services`` stores jobs and
issues their rows one transaction at a time, and ``tasks`` runs a job in
the worker.
"""
