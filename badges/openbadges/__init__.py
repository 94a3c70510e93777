"""Open Badges 3.0 standards core: pure functions, no Django.

Serialisation (``ob3``), JSON-LD canonicalisation (``canonical``), Data
Integrity proofs (``dataintegrity``), key resolution (``keys``) and the
verification report (``verify``). Keys and the clock are passed in by the
caller; nothing here reads settings, logs or opens a network connection.
"""
