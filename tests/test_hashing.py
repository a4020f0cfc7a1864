"""The one scrypt hash format: written once, read with its parameters checked, verified without raising."""

from __future__ import annotations

import binascii

import pytest

from kiosk import config, hashing


def b64(data: bytes) -> str:
    return binascii.b2a_base64(data, newline=False).decode()


SALT, DIGEST = b64(b"s" * 16), b64(b"d" * 32)

MALFORMED = [
    ("scrypt$1$1$1$AAAA$BBBB", "N=1 is not a power of two"),
    ("", "does not have the form"),
    ("1234", "does not have the form"),
    (f"bcrypt$16384$8$1${SALT}${DIGEST}", "does not have the form"),
    (f"scrypt$16384$8$1${SALT}", "does not have the form"),
    (f"scrypt$16384$8$1${SALT}${DIGEST}$extra", "does not have the form"),
    (f"scrypt$+16384$8$1${SALT}${DIGEST}", "does not have the form"),
    (f"scrypt$16_384$8$1${SALT}${DIGEST}", "does not have the form"),
    (f"scrypt$\u0661\u0666\u0663\u0668\u0664$8$1${SALT}${DIGEST}", "does not have the form"),
    (f" scrypt$16384$8$1${SALT}${DIGEST}", "does not have the form"),
    (f"scrypt$16384$8$1${SALT}${DIGEST}\n", "does not have the form"),
    (f"scrypt$0$8$1${SALT}${DIGEST}", "N=0 is not a power of two"),
    (f"scrypt$16383$8$1${SALT}${DIGEST}", "N=16383 is not a power of two"),
    (f"scrypt$512$8$1${SALT}${DIGEST}", "N=512 is not a power of two from 2^10"),
    (f"scrypt$2097152$1$1${SALT}${DIGEST}", "N=2097152 is not a power of two"),
    (f"scrypt$16384$0$1${SALT}${DIGEST}", "r=0 is outside 1-32"),
    (f"scrypt$16384$33$1${SALT}${DIGEST}", "r=33 is outside 1-32"),
    (f"scrypt$16384$8$0${SALT}${DIGEST}", "p=0 is outside 1-16"),
    (f"scrypt$16384$8$17${SALT}${DIGEST}", "p=17 is outside 1-16"),
    (f"scrypt$32768$8$1${SALT}${DIGEST}", "needs more than 32 MiB"),
    (f"scrypt$1048576$1$1${SALT}${DIGEST}", "needs more than 32 MiB"),
    (f"scrypt$16384$8$16${SALT}${DIGEST}", "costs more than 8 times"),
    (f"scrypt$16384$8$1$AAA${DIGEST}", "salt is not valid base64"),
    (f"scrypt$16384$8$1${SALT}$B=", "digest is not valid base64"),
    (f"scrypt$16384$8$1$AAAA=${DIGEST}", "salt is not valid base64"),
    (f"scrypt$16384$8$1${b64(b'short')}${DIGEST}", "salt is 5 bytes long (8-64 expected)"),
    (f"scrypt$16384$8$1${SALT}${b64(b'd' * 8)}", "digest is 8 bytes long (16-64 expected)"),
    (f"scrypt$16384$8$1${SALT}${b64(b'd' * 65)}", "digest is 65 bytes long"),
]


def test_a_new_hash_has_the_written_cost_and_verifies():
    stored = hashing.hash_secret("correct horse")
    parsed = hashing.parse(stored)
    assert (parsed.n, parsed.r, parsed.p) == (hashing.N, hashing.R, hashing.P)
    assert len(parsed.salt) == hashing.SALT_BYTES and len(parsed.digest) == hashing.DIGEST_BYTES
    assert str(parsed) == stored
    assert hashing.verify("correct horse", stored)
    assert not hashing.verify("correct horsf", stored)


def test_hashes_written_before_this_module_still_verify():
    # Written by `kiosk config set-pin` for PIN 2468 before the format moved here.
    stored = "scrypt$16384$8$1$is93KEUrFAb72BwJVJ8SGQ==$YzjQ1qk3Ef4NIPV76U81lXKWVCsjHHMOzcxlTzEAX8A="
    assert hashing.problem(stored) is None
    assert hashing.verify("2468", stored) and config.verify_pin("2468", stored)
    assert not hashing.verify("2469", stored)


@pytest.mark.parametrize("stored, reason", MALFORMED)
def test_a_malformed_hash_is_refused_with_its_reason_and_verifies_nothing(stored, reason):
    with pytest.raises(hashing.HashFormatError) as caught:
        hashing.parse(stored)
    assert reason in str(caught.value)
    assert hashing.problem(stored) == str(caught.value)
    assert hashing.verify("anything", stored) is False
    assert config.verify_pin("1234", stored) is False


def test_verifying_never_raises_on_odd_input():
    stored = hashing.hash_secret("2468")
    assert hashing.verify("\udcff", stored) is False  # cannot be encoded: matches nothing
    assert hashing.verify("2468", None) is False  # type: ignore[arg-type]
    assert hashing.verify("2468", 2468) is False  # type: ignore[arg-type]


def assert_computable(n: int, r: int, p: int) -> None:
    # The bounds promise that hashlib never refuses what `parse` let through.
    stored = f"scrypt${n}${r}${p}${SALT}${DIGEST}"
    assert hashing.problem(stored) is None
    assert hashing.verify("x", stored) is False


@pytest.mark.parametrize("n, r, p", [(2**10, 32, 1), (2**14, 8, 1), (2**15, 7, 1), (2**17, 1, 1)])
def test_the_most_memory_the_reader_accepts_can_be_computed(n, r, p):
    assert_computable(n, r, p)


@pytest.mark.slow  # each check costs what eight ordinary ones do
@pytest.mark.parametrize("n, r, p", [(2**17, 1, 8), (2**14, 8, 8), (2**16, 2, 8)])
def test_the_most_work_the_reader_accepts_can_be_computed(n, r, p):
    assert hashing.memory_needed(n, r, p) <= hashing.MAX_MEMORY and n * r * p == hashing.MAX_WORK
    assert_computable(n, r, p)
