"""The trust model: which packs may vouch for a number, and how the kiosk knows where a pack came from.

The kiosk's promise is that nothing can make a scam number look official. A pack
is data that someone else wrote, usually delivered by code that someone else
wrote, so what a pack may do is decided by where it came from (its provenance)
and never by what it says about itself. Every loaded pack has one of three:

bundled
    Shipped with the kiosk: the general pack (kiosk/builtin) and the wallet packs
    of this repository's packs/ folder. For each, the kiosk's own distribution
    records the pack id, the distribution it ships in, where its document lies
    inside that distribution, its names, and the SHA-256 of the document
    (`kiosk.builtin.bundled`, written from packs/ by `python -m
    kiosk.builtin.record_bundled` whenever a document changes; a test fails
    while a document and its record disagree).
    A pack is bundled when it is the kiosk's own general pack, or when its
    distribution has the recorded name *and* its document has the recorded hash.
    The document of a bundled distribution is looked up among that
    distribution's own installed files (its RECORD, or the folder an editable
    install points to) and read as data: its code is not imported, so neither a
    module of the same name earlier on the path nor a same-named distribution
    shadowing it can change what is read. A same-named distribution whose
    document differs is an ordinary third-party pack: an upgrade nobody
    approved yet, or an impostor.

approved
    The operator ran `kiosk packs approve NAME`, which records in
    ``approvals.toml`` next to kiosk.toml (`kiosk.approvals`) the pack id, the
    distribution (``local:FILE`` for the local packs folder), its version, the
    document's SHA-256 and the contact facts (numbers and addresses) the operator
    was shown. A pack stays approved only while all of these match: an upgrade
    whose document changed is unapproved again, and re-approving it shows what
    changed in its contact facts.

unapproved
    Everything else.

What customers see (`kiosk.packselect`, the one function that selects packs for
the kiosk and for every command that lists them): in the kiosk and remote
profiles only bundled and approved packs; unapproved ones are still read and
checked, and reported to the operator as "awaiting approval". Development mode
shows them too, with a visible "unapproved" marker.

What a pack may and may not claim:

- Identity (`kiosk.discovery`, `kiosk.identity`). The ids of bundled packs are
  reserved for their distributions, and bundled packs load first, so no path
  order or distribution name displaces one. No pack may use an id or a name, in
  any language, that reads like another pack's or like a bundled pack's:
  names are compared after NFKC, case folding and confusable folding (Unicode's
  confusables data), and one that is or contains another is an imitation. The
  less trusted, or later, pack is quarantined with a reason naming both. Two
  distributions that provide one entry point are both reported.
- Numbers (`kiosk.claims`). Every phone number has at most one owner. The general
  pack owns the numbers it lists and every public number (emergency, 5-digit
  1xxxx service numbers of regulators and carriers, 96xxx); a bundled wallet pack
  owns its own numbers. Another pack's claim on an owned number is rejected and
  reported to the operator; two other packs claiming one number for different
  wallets is a conflict, reported too, and official for neither.
- Verdicts (`kiosk.numbers`). "Official" needs a bundled or approved pack that
  owns the number and confidence medium or better, bundled packs included: a
  low-confidence listing is a lead its maintainers could not confirm. Otherwise a listed
  number is "listed, not confirmed", with the reason. The customer is told which
  wallet's pack vouches for it, its confidence in their language and the date it
  was verified.
- Text (`kiosk.packfile`, `kiosk.textsafety`). Pack text is inert: no control,
  bidi, format or zero-width characters, no line breaks in one-line fields;
  addresses are https with a plain ASCII host name (no user-info, no IDN or
  punycode). Pack text is shown under its pack's name, never where the kiosk
  draws its verdicts, and everything printed for an operator from a pack is
  escaped.
- Local packs folder (`kiosk.discovery`): read only when it and every file in it
  belong to root or the kiosk's user and nobody else may write to them, the way
  sshd's StrictModes treats keys.

What the operator must still trust:

- Code in installed distributions runs when it is imported. Discovery imports
  every third-party pack plugin (not the bundled ones) to ask for its document,
  so an installed pack can do whatever the kiosk's user can, including changing
  the kiosk in memory. Approving is about data; installing is trusting code.
  Install packs only from an index you control, pinned by hash.
- The kiosk's own installation (this module and `kiosk.builtin.bundled`
  included), its Python environment, kiosk.toml and approvals.toml: whoever can
  write those decides what the kiosk trusts.
- The bundled packs' facts, which are as good as the sources each one shows.
"""

from __future__ import annotations

import enum
import os
import re
import stat
from dataclasses import dataclass

from kiosk.builtin.bundled import BUNDLED_DOCUMENTS


class Provenance(enum.StrEnum):
    BUNDLED = "bundled"
    APPROVED = "approved"
    UNAPPROVED = "unapproved"


#: Provenances whose packs customers see in the kiosk and remote profiles, and that may vouch for a number.
TRUSTED: frozenset[Provenance] = frozenset({Provenance.BUNDLED, Provenance.APPROVED})


@dataclass(frozen=True)
class BundledPack:
    """What the kiosk's own distribution records about one pack it ships."""

    id: str
    #: The distribution it ships in (normalised); None for a pack built into the kiosk itself.
    distribution: str | None
    #: The document's path among that distribution's files (`kiosk_pack_alipay/alipay.toml`).
    document: str
    sha256: str
    #: Its names in every language, reserved like its id.
    names: tuple[str, ...]


BUNDLED: dict[str, BundledPack] = {
    entry["id"]: BundledPack(
        id=entry["id"],
        distribution=entry["distribution"],
        document=entry["document"],
        sha256=entry["sha256"],
        names=tuple(entry["names"]),
    )
    for entry in BUNDLED_DOCUMENTS
}

_DIGESTS = frozenset(b.sha256 for b in BUNDLED.values())
_NAME_SEPARATORS = re.compile(r"[-_.]+")


def normalise_distribution(name: str) -> str:
    """A distribution name as packaging compares it (PEP 503): `Kiosk_Pack.Alipay` is `kiosk-pack-alipay`."""
    return _NAME_SEPARATORS.sub("-", name).lower()


def document_digest(data: bytes) -> str:
    """The SHA-256 of a pack document, as `sha256sum` prints it."""
    # The C module directly: `hashlib` would load OpenSSL at start-up just for this.
    try:
        from _sha2 import sha256  # type: ignore[import-not-found,unused-ignore]  # Python 3.12+
    except ImportError:
        from _sha256 import sha256  # type: ignore[import-not-found,no-redef,unused-ignore]  # Python 3.11
    return str(sha256(data).hexdigest())


def bundled_for_distribution(distribution: str | None) -> BundledPack | None:
    """The bundled pack that ships in `distribution`, if any."""
    if distribution is None:
        return None
    wanted = normalise_distribution(distribution)
    return next((b for b in BUNDLED.values() if b.distribution == wanted), None)


def is_bundled(distribution: str | None, digest: str | None, *, builtin: bool = False) -> bool:
    """Shipped with the kiosk: its own built-in pack, or the recorded distribution with the recorded document."""
    if builtin:
        return True
    bundled = bundled_for_distribution(distribution)
    return bundled is not None and digest == bundled.sha256


def is_bundled_document(digest: str | None) -> bool:
    """The document is byte for byte one the kiosk ships (where the distribution is not known)."""
    return digest is not None and digest in _DIGESTS


def reserved_by(pack_id: str) -> BundledPack | None:
    """The bundled pack whose id `pack_id` is (ids of bundled packs are reserved for their distributions)."""
    return BUNDLED.get(pack_id)


def may_use_id(pack_id: str, distribution: str | None, *, builtin: bool = False) -> bool:
    """Whether a pack from `distribution` may take `pack_id` (a bundled id only from its own distribution)."""
    bundled = reserved_by(pack_id)
    if bundled is None:
        return True
    if bundled.distribution is None:
        return builtin
    return distribution is not None and normalise_distribution(distribution) == bundled.distribution


def strict_modes_problem(path: os.PathLike[str] | str, info: os.stat_result, *, what: str) -> str | None:
    """Why a file or folder the kiosk trusts must not be read, the way sshd's StrictModes decides, or None.

    It must belong to root or to the kiosk's own user, and nobody else may write to it:
    otherwise someone else could have written (or could still change) what the kiosk believes.
    """
    owner = info.st_uid
    if owner not in (0, os.geteuid()):
        return f"{what} {path} belongs to another user (uid {owner}); it must belong to root or to the kiosk's user"
    if info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        return (
            f"{what} {path} can be written by {'others' if info.st_mode & stat.S_IWOTH else 'its group'} "
            f"(mode {stat.S_IMODE(info.st_mode):04o}); run: chmod go-w {path}"
        )
    return None


__all__ = [
    "BUNDLED",
    "TRUSTED",
    "BundledPack",
    "Provenance",
    "bundled_for_distribution",
    "document_digest",
    "is_bundled",
    "is_bundled_document",
    "may_use_id",
    "normalise_distribution",
    "reserved_by",
    "strict_modes_problem",
]
