"""Salted scrypt hashes of short secrets: the staff PIN and the SSH shared password, one format.

    scrypt$N$r$p$SALT$DIGEST        (SALT and DIGEST in standard base64)

A stored hash comes from a file an operator edits, so reading one checks more
than its shape: the cost parameters must be ones this kiosk would write or
could verify in reasonable time and memory. Verifying never raises; a hash
that cannot be read verifies nothing. Which secrets are acceptable (four to
twelve digits, at least eight characters) is the caller's rule, not this
module's.

Only the standard library is used, and `hashlib` (which loads OpenSSL) only
when a secret is hashed or checked: reading the configuration at start-up
never pays for it.
"""

from __future__ import annotations

import binascii
import re
from dataclasses import dataclass

#: The cost this kiosk writes: about 50 ms per check on a branch terminal, 16 MiB of memory;
#: slow enough to make guessing offline expensive.
N, R, P = 2**14, 8, 1
SALT_BYTES = 16
DIGEST_BYTES = 32

#: What a stored hash may ask for. Outside these bounds a hash was not written by a kiosk, and
#: checking it could take minutes or fail inside hashlib.
N_RANGE = (2**10, 2**20)
R_RANGE = (1, 32)
P_RANGE = (1, 16)
SALT_RANGE = (8, 64)
DIGEST_RANGE = (16, 64)
#: hashlib.scrypt's memory limit when none is given (OpenSSL's default), in bytes.
MAX_MEMORY = 32 * 1024 * 1024
#: At most eight times the cost written above (a few tenths of a second).
MAX_WORK = 8 * N * R * P

_FORMAT = re.compile(
    r"scrypt\$([0-9]{1,8})\$([0-9]{1,3})\$([0-9]{1,3})\$([A-Za-z0-9+/]+={0,2})\$([A-Za-z0-9+/]+={0,2})"
)


class HashFormatError(ValueError):
    """A stored hash this kiosk cannot use; the message says what is wrong with it."""


@dataclass(frozen=True)
class ScryptHash:
    n: int
    r: int
    p: int
    salt: bytes
    digest: bytes

    def __str__(self) -> str:
        salt = binascii.b2a_base64(self.salt, newline=False).decode()
        digest = binascii.b2a_base64(self.digest, newline=False).decode()
        return f"scrypt${self.n}${self.r}${self.p}${salt}${digest}"


def memory_needed(n: int, r: int, p: int) -> int:
    """Bytes OpenSSL's scrypt allocates for these parameters (what its memory limit is checked against)."""
    return 128 * r * (n + 2 + p)


def hash_secret(secret: str) -> str:
    """A new salted hash of `secret` at this kiosk's cost."""
    import hashlib
    import secrets

    salt = secrets.token_bytes(SALT_BYTES)
    digest = hashlib.scrypt(secret.encode("utf-8"), salt=salt, n=N, r=R, p=P, dklen=DIGEST_BYTES)
    return str(ScryptHash(N, R, P, salt, digest))


def parse(stored: str) -> ScryptHash:
    """The parts of a stored hash; HashFormatError says why it cannot be used."""
    match = _FORMAT.fullmatch(stored) if isinstance(stored, str) else None
    if match is None:
        raise HashFormatError("it does not have the form scrypt$N$r$p$SALT$DIGEST")
    n, r, p = (int(part) for part in match.group(1, 2, 3))
    if n & (n - 1) or not N_RANGE[0] <= n <= N_RANGE[1]:
        raise HashFormatError(f"its cost N={n} is not a power of two from 2^10 to 2^20")
    if not R_RANGE[0] <= r <= R_RANGE[1]:
        raise HashFormatError(f"its block size r={r} is outside {R_RANGE[0]}-{R_RANGE[1]}")
    if not P_RANGE[0] <= p <= P_RANGE[1]:
        raise HashFormatError(f"its parallelism p={p} is outside {P_RANGE[0]}-{P_RANGE[1]}")
    if memory_needed(n, r, p) > MAX_MEMORY:
        raise HashFormatError(f"N={n}, r={r}, p={p} needs more than {MAX_MEMORY // 2**20} MiB of memory")
    if n * r * p > MAX_WORK:
        raise HashFormatError(f"N={n}, r={r}, p={p} costs more than {MAX_WORK // (N * R * P)} times the usual check")
    salt = _bytes(match.group(4), "salt", SALT_RANGE)
    digest = _bytes(match.group(5), "digest", DIGEST_RANGE)
    return ScryptHash(n, r, p, salt, digest)


def _bytes(text: str, what: str, limits: tuple[int, int]) -> bytes:
    try:
        value = binascii.a2b_base64(text, strict_mode=True)
    except binascii.Error:
        value = None
    # Only the canonical spelling: anything else was not written by b2a_base64.
    if value is None or binascii.b2a_base64(value, newline=False).decode() != text:
        raise HashFormatError(f"its {what} is not valid base64")
    if not limits[0] <= len(value) <= limits[1]:
        raise HashFormatError(f"its {what} is {len(value)} bytes long ({limits[0]}-{limits[1]} expected)")
    return value


def problem(stored: str) -> str | None:
    """Why `stored` is not a usable hash, or None."""
    try:
        parse(stored)
    except HashFormatError as exc:
        return str(exc)
    return None


def verify(secret: str, stored: str) -> bool:
    """True when `secret` matches `stored`. Never raises: an unusable hash or secret matches nothing."""
    try:
        parsed = parse(stored)
        candidate = secret.encode("utf-8")
    except (HashFormatError, AttributeError, UnicodeError):
        return False
    import hashlib
    import hmac

    try:
        computed = hashlib.scrypt(
            candidate, salt=parsed.salt, n=parsed.n, r=parsed.r, p=parsed.p, dklen=len(parsed.digest)
        )
    except (ValueError, MemoryError):  # bounds above make this unreachable; a check must still not crash
        return False
    return hmac.compare_digest(computed, parsed.digest)
