"""Who may make a number official: provenance, ownership of numbers, confidence, and the cases people bring."""

from __future__ import annotations

import datetime as _dt
import itertools
import json

import pytest
from helpers import REPO, FakeSite, run_kiosk, wallet_pack_text
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.approvals import Approval, Approvals
from kiosk.claims import Standing, annotate, claims
from kiosk.discovery import load_packs
from kiosk.number_text import verdict_text
from kiosk.numbers import Context, PatternId, Unconfirmed, VerdictKind, check_number
from kiosk.packfile import read_pack_file
from kiosk.packselect import for_profile
from kiosk.packset import PackSet, Selection
from kiosk.profile import Profile
from kiosk.trust import document_digest

CALL, SMS, ONLINE = Context.INCOMING_CALL, Context.SMS, Context.FOUND_ONLINE

#: Every pack the repository ships, read from its files.
ALL_BUNDLED = PackSet(
    packs=tuple(
        read_pack_file(p).unwrap()
        for p in [REPO / "kiosk" / "builtin" / "general.toml", *sorted(REPO.glob("packs/*/kiosk_pack_*/*.toml"))]
    )
)


_modules = itertools.count()


def install(site: FakeSite, dist: str, text: str, *, approve: bool = True, entry_point: str | None = None):
    # A module name of its own per test: an imported module stays in sys.modules.
    module = f"{dist.replace('-', '_')}_trustmod_{next(_modules)}"
    site.add_pack(dist, module, text, entry_point=entry_point or dist.removeprefix("kiosk-pack-"))
    if not approve:
        return None
    return Approval(
        pack=entry_point or dist.removeprefix("kiosk-pack-"),
        source=dist,
        version="1.0.0",
        sha256=document_digest(text.encode("utf-8")),
        approved=_dt.date(2026, 12, 1),
    )


def load_with(site: FakeSite, tmp_path, approvals: list) -> PackSet:
    # The bundled packs installed as wheels lay them out: read as data, never imported.
    bundled = FakeSite(tmp_path / "bundled")
    for path in sorted(REPO.glob("packs/*/kiosk_pack_*/*.toml")):
        files = {path.name: path.read_text(encoding="utf-8")}
        bundled.add(f"kiosk-pack-{path.stem}", module=path.parent.name, files=files, entry_point=path.stem)
    loaded = load_packs(
        eps=[*bundled.entry_points(), *site.entry_points()],
        selection=Selection(),
        approvals=Approvals(entries=tuple(a for a in approvals if a)),
    )
    return annotate(loaded)  # as kiosk.packselect does: the operator sees rejected claims and conflicts


# -- ownership of numbers -------------------------------------------------------------------


def test_a_third_party_pack_may_not_claim_another_wallets_number(fake_site, tmp_path):
    # An approved pack lists Alipay's 95188 as its own "refunds and compensation" line.
    text = wallet_pack_text("refundhelp", zh="退款帮助", en="Refund Help", number="95188", label_zh="退款赔偿专线")
    packs = load_with(fake_site, tmp_path, [install(fake_site, "kiosk-pack-refundhelp", text)])
    verdict = check_number("95188", ONLINE, packs)
    assert verdict.kind is VerdictKind.OFFICIAL
    assert verdict.references == (("alipay", "hotline-95188"),)
    record = packs.record("refundhelp")
    assert record is not None and any("rejected" in note and "alipay" in note for note in record.notes)


@pytest.mark.parametrize("number, kind", [("110", "police"), ("12363", "regulator"), ("10086", "hotline")])
def test_a_third_party_pack_may_not_claim_public_numbers(fake_site, tmp_path, number, kind):
    text = wallet_pack_text("fakepolice", zh="反诈中心", en="Anti-fraud Centre", number=number)
    text = text.replace('kind = "hotline"', f'kind = "{kind}"', 1)
    packs = load_with(fake_site, tmp_path, [install(fake_site, "kiosk-pack-fakepolice", text)])
    verdict = check_number(number, ONLINE, packs)
    assert all(pack_id == "general" for pack_id, _ in verdict.references)
    standing = claims(packs)[("fakepolice", "hotline")]
    assert standing.standing is Standing.REJECTED


def test_two_packs_claiming_one_number_for_different_wallets_is_a_conflict(fake_site, tmp_path):
    one = wallet_pack_text("bankone", zh="一号银行", en="Bank One", number="95599")
    two = wallet_pack_text("banktwo", zh="二号银行", en="Bank Two", number="95599")
    approvals = [install(fake_site, "kiosk-pack-bankone", one), install(fake_site, "kiosk-pack-banktwo", two)]
    packs = load_with(fake_site, tmp_path, approvals)
    verdict = check_number("95599", ONLINE, packs)
    assert verdict.kind is VerdictKind.LISTED
    assert {m.unconfirmed for m in verdict.matches} == {Unconfirmed.CONFLICT}
    for pack_id, other in (("bankone", "banktwo"), ("banktwo", "bankone")):
        record = packs.record(pack_id)
        assert record is not None and any("conflict" in n and other in n for n in record.notes)


def test_an_approved_pack_vouches_for_its_own_number(fake_site, tmp_path):
    text = wallet_pack_text("bankone", zh="一号银行", en="Bank One", number="95599", confidence="medium")
    packs = load_with(fake_site, tmp_path, [install(fake_site, "kiosk-pack-bankone", text)])
    verdict = check_number("95599", ONLINE, packs)
    assert verdict.kind is VerdictKind.OFFICIAL
    assert [(m.pack_id, m.distribution, str(m.provenance)) for m in verdict.matches] == [
        ("bankone", "kiosk-pack-bankone", "approved")
    ]


def test_a_low_confidence_number_is_listed_not_confirmed(fake_site, tmp_path):
    text = wallet_pack_text("newwallet", zh="新钱包", en="New Wallet", number="95566", confidence="low")
    packs = load_with(fake_site, tmp_path, [install(fake_site, "kiosk-pack-newwallet", text)])
    verdict = check_number("95566", ONLINE, packs)
    assert verdict.kind is VerdictKind.LISTED
    assert [m.unconfirmed for m in verdict.matches] == [Unconfirmed.LOW_CONFIDENCE]
    words = verdict_text(verdict, ONLINE, "zh-CN")
    assert words.heading == "本机资料里有这个号码，但未经确认"
    assert "可信度低" in words.unconfirmed[0].vouched and "low" not in " ".join(words.lines())


def test_an_unapproved_pack_never_makes_a_number_official(fake_site, tmp_path):
    text = wallet_pack_text("newwallet", zh="新钱包", en="New Wallet", number="95566", confidence="high")
    install(fake_site, "kiosk-pack-newwallet", text, approve=False)
    packs = load_with(fake_site, tmp_path, [])
    development = check_number("95566", ONLINE, for_profile(packs, Profile.DEVELOPMENT))
    assert development.kind is VerdictKind.LISTED
    assert [m.unconfirmed for m in development.matches] == [Unconfirmed.UNAPPROVED]
    kiosk = for_profile(packs, Profile.KIOSK)
    assert "newwallet" not in [p.id for p in kiosk.packs]
    assert check_number("95566", ONLINE, kiosk).kind is VerdictKind.UNKNOWN
    assert check_number("95566", ONLINE, list(packs.packs)).kind is VerdictKind.LISTED  # bare packs: by document


def test_the_bundled_packs_keep_their_verdicts_and_have_no_conflicts():
    for raw, reference in [
        ("95188", ("alipay", "hotline-95188")),
        ("95017", ("wechat", "wechatpay-95017")),
        ("110", ("general", "police-110")),
        ("12363", ("general", "pboc-12363")),
        ("95516", ("unionpay", "hotline-95516")),
        ("956196", ("ecny", "hotline-956196")),
    ]:
        verdict = check_number(raw, ONLINE, ALL_BUNDLED)
        assert verdict.kind is VerdictKind.OFFICIAL, raw
        assert reference in verdict.references
    assert {c.standing for c in claims(ALL_BUNDLED).values()} == {Standing.OWNER}


# -- the cases people bring ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, number, option",
    [("95017-2", "95017", "2"), ("95017转2", "95017", "2"), ("95188-1", "95188", "1"), ("95188,1", "95188", "1")],
)
def test_an_official_line_with_a_menu_option_is_the_official_line(raw, number, option):
    verdict = check_number(raw, ONLINE, ALL_BUNDLED)
    assert verdict.kind is VerdictKind.OFFICIAL
    assert verdict.number is not None and (verdict.number.national, verdict.menu_option) == (number, option)
    assert f"{number}" in (verdict_text(verdict, ONLINE, "en").menu or "")


@pytest.mark.parametrize(
    "raw, reference",
    [("+86 571 95017", ("wechat", "wechatpay-95017")), ("+86 10 956196", ("ecny", "hotline-956196"))],
)
def test_a_service_number_dialled_from_abroad_with_its_area_code_is_that_number(raw, reference):
    verdict = check_number(raw, ONLINE, ALL_BUNDLED)
    assert verdict.kind is VerdictKind.OFFICIAL
    assert reference in verdict.references


@pytest.mark.parametrize("raw", ["+86 95188", "0086 95188", "00860 95188"])
def test_a_service_number_found_online_with_only_a_country_code_is_the_scam_shape(raw):
    verdict = check_number(raw, ONLINE, ALL_BUNDLED)
    assert verdict.warning_ids == (PatternId.SEARCHED_SERVICE_NUMBER_ABROAD,)
    assert verdict.references == (("alipay", "hotline-95188"),)  # the genuine line is still named


@pytest.mark.parametrize("raw", ["+86", "+860", "0086", "00860", "+", "00", "+ 86 0", "０ ０ ８ ６"])
@pytest.mark.parametrize("context", list(Context))
def test_a_country_code_alone_is_unreadable_not_a_crash(raw, context):
    verdict = check_number(raw, context, ALL_BUNDLED)
    assert verdict.kind is VerdictKind.INVALID


#: Everything the number field lets a customer type (kiosk.ui.screens.number_check.ALLOWED).
FIELD_ALPHABET = "0123456789０１２３４５６７８９ \u3000-－+＋()（）转,，#"


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=FIELD_ALPHABET, max_size=32), st.sampled_from(list(Context)))
def test_every_text_the_number_field_accepts_gets_a_verdict(raw, context):
    verdict = check_number(raw, context, ALL_BUNDLED)
    words = verdict_text(verdict, context, "zh-CN")
    assert words.heading


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123456789 -", min_size=1, max_size=16), st.sampled_from(list(Context)))
def test_0086_counts_as_plus_86(rest, context):
    plus, zeros = check_number("+86" + rest, context, ALL_BUNDLED), check_number("0086" + rest, context, ALL_BUNDLED)
    assert (plus.kind, plus.warning_ids, plus.caveat_ids, plus.references) == (
        zeros.kind,
        zeros.warning_ids,
        zeros.caveat_ids,
        zeros.references,
    )
    assert plus.number == zeros.number or (
        plus.number is not None
        and zeros.number is not None
        and (plus.number.country, plus.number.national) == (zeros.number.country, zeros.number.national)
    )


@pytest.mark.parametrize("raw", ["13800138000", "95188123", "+86 138 0013 8000", "400-123-4567", "95566", "95188"])
@pytest.mark.parametrize("locale", ["zh-CN", "en"])
def test_call_back_advice_is_only_for_calls_and_texts(raw, locale):
    found_online = " ".join(verdict_text(check_number(raw, ONLINE, ALL_BUNDLED), ONLINE, locale).lines())
    assert "回拨" not in found_online and "call back" not in found_online.lower()
    called = " ".join(verdict_text(check_number("13800138000", CALL, ALL_BUNDLED), CALL, locale).lines())
    assert "回拨" in called or "call back" in called.lower()


@pytest.mark.parametrize("locale, words", [("zh-CN", "境外的 SIM 卡"), ("en", "SIM card from outside mainland China")])
def test_the_plus_86_advice_speaks_to_visitors_with_a_foreign_sim(locale, words):
    for raw in ("+86 95188", "0086 95188"):
        verdict = check_number(raw, CALL, ALL_BUNDLED)
        assert PatternId.INTERNATIONAL_PREFIX in verdict.warning_ids
        assert words in " ".join(verdict_text(verdict, CALL, locale).lines())
    other = check_number("+44 20 7946 0000", CALL, ALL_BUNDLED)
    assert words not in " ".join(verdict_text(other, CALL, locale).lines())


# -- the command -----------------------------------------------------------------------------


@pytest.mark.slow
def test_number_check_prints_the_verdict_and_its_sources_as_json(tmp_path):
    result = run_kiosk("number", "check", "95188", "--context", "online", "--json", env_extra={"HOME": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["verdict"] == "official"
    assert out["matches"][0] | {"verified": None} == {
        "pack": "alipay",
        "distribution": "kiosk-pack-alipay",
        "provenance": "bundled",
        "channel": "hotline-95188",
        "confidence": "medium",
        "verified": None,
        "official": True,
        "unconfirmed": None,
    }
    text = run_kiosk("number", "check", "95017转2", "--locale", "zh-CN", env_extra={"HOME": str(tmp_path)})
    assert text.stdout.splitlines()[0] == "这是官方号码"
    assert "语音菜单选项 2" in text.stdout and "微信支付" in text.stdout
