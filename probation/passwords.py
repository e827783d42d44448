"""How passwords are kept: Argon2id at OWASP's recommended cost (19 MiB of memory, 2 passes, 1 lane).

Django's default, PBKDF2-SHA256 at 1,000,000 iterations, took 0.24 s of CPU for every sign-in on this machine:
fifty officers signing in at the start of a shift held both cores for six seconds. Argon2id at these settings
takes 0.02 s and, needing 19 MiB for every guess, is harder to attack with GPUs than PBKDF2 (OWASP's Password
Storage Cheat Sheet lists it first; docs/SECURITY.md). A password kept with another hasher in
PASSWORD_HASHERS is still accepted, and kept again with this one when its owner next signs in.
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class Argon2idPasswordHasher(Argon2PasswordHasher):
    """Django's Argon2 hasher (Argon2id) with OWASP's parameters instead of Django's (100 MiB, 8 lanes: 0.2 s
    of CPU a sign-in here). Its algorithm name stays "argon2": hashes made with other Argon2 parameters are
    verified by it, then kept again with these."""

    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
