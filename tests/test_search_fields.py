"""The pack fields search reads: wallet aliases, popular guides, synonyms, channel keywords, step branches."""

from __future__ import annotations

import pytest
from helpers import minimal_pack_text

from kiosk.errors import Severity
from kiosk.model import Intent
from kiosk.packfile import read_pack


def errors(text: str) -> list[tuple[str, str]]:
    result = read_pack(text, "demo.toml")
    return [(i.field, i.message) for i in result.issues if i.severity is Severity.ERROR]


MANIFEST_END = 'locales = ["zh-CN", "en"]'


def with_manifest(extra: str) -> str:
    return minimal_pack_text(**{MANIFEST_END: MANIFEST_END + "\n" + extra})


def test_aliases_and_popular_are_read():
    text = with_manifest('aliases = ["演示", "yanshi", "demo pay"]\npopular = ["refund", "forgot-password"]')
    pack = read_pack(text, "demo.toml").unwrap()
    assert pack.pack.aliases == ("演示", "yanshi", "demo pay")
    assert pack.pack.popular == ("refund", "forgot-password")


@pytest.mark.parametrize("alias", ["x", "微", " - "])
def test_an_alias_of_one_letter_is_refused(alias):
    found = errors(with_manifest(f'aliases = ["{alias}"]'))
    assert found and found[0][0] == "pack.aliases[0]" and "too short" in found[0][1]


def test_an_alias_is_checked_for_control_characters():
    found = errors(with_manifest('aliases = ["demo\\u202e"]'))
    assert found and found[0][0] == "pack.aliases[0]"


def test_popular_names_guides_of_the_pack_once():
    found = errors(with_manifest('popular = ["refunds"]'))
    assert found == [("pack.popular[0]", "no guide with id 'refunds' in this pack; did you mean 'refund'?")]
    assert errors(with_manifest('popular = ["refund", "refund"]')) == [("pack.popular", "lists a guide twice")]


def test_synonyms_are_read_with_their_intent():
    text = minimal_pack_text() + '\n[[synonyms]]\nintent = "contact"\nwords = ["人工客服", "rengong kefu"]\n'
    pack = read_pack(text, "demo.toml").unwrap()
    assert pack.synonyms[0].words == ("人工客服", "rengong kefu")
    assert pack.synonyms[0].intent is Intent.CONTACT


@pytest.mark.parametrize(
    "group, message",
    [
        ('words = ["退款"]', "a synonym group needs at least two words"),
        ('words = ["退款", "退"]', "too short for a synonym"),
        ('words = ["退款", "退钱"]\nintent = "contacts"', "contact"),
    ],
)
def test_bad_synonym_groups_are_refused(group, message):
    found = errors(minimal_pack_text() + f"\n[[synonyms]]\n{group}\n")
    assert found and found[0][0].startswith("synonyms[0]") and message in found[0][1]


def test_channel_keywords_are_read():
    text = minimal_pack_text(**{'value = "95188"': 'value = "95188"\nkeywords = ["人工客服", "hotline"]'})
    assert read_pack(text, "demo.toml").unwrap().channels[0].keywords == ("人工客服", "hotline")


STEP = '{ text = { zh-CN = "选择忘记密码", en = "Choose forgot password" } }'


def with_step(fields: str) -> str:
    return minimal_pack_text(**{STEP: STEP[:-2] + ", " + fields + " }"})


def test_a_step_may_branch_to_a_step_or_a_guide():
    pack = read_pack(with_step('otherwise_step = 1, otherwise_guide = "wechat:lost-phone"'), "demo.toml").unwrap()
    step = pack.guides[0].steps[1]
    assert (step.otherwise_step, step.otherwise_guide) == (1, "wechat:lost-phone")


@pytest.mark.parametrize(
    "fields, where, message",
    [
        ("otherwise_step = 3", "otherwise_step", "the guide has 2 steps, so there is no step 3"),
        ("otherwise_step = 0", "otherwise_step", "steps are counted from 1"),
        ("otherwise_step = 2", "otherwise_step", "cannot send the customer back to itself"),
        ('otherwise_step = "1"', "otherwise_step", "must be an integer"),
        ('otherwise_guide = "refunds"', "otherwise_guide", "no guide with id 'refunds' in this pack"),
        ('otherwise_guide = "demo:refunds"', "otherwise_guide", "no guide with id 'refunds' in this pack"),
        ('otherwise_guide = "forgot-password"', "otherwise_guide", "use otherwise_step"),
        ('otherwise_guide = "Bad Id"', "otherwise_guide", "is not a guide reference"),
    ],
)
def test_bad_branches_are_refused(fields, where, message):
    found = errors(with_step(fields))
    assert found and found[0][0] == f"guides[0].steps[1].{where}" and message in found[0][1], found


def test_related_guides_may_be_in_other_packs():
    text = minimal_pack_text(**{'related = ["refund"]': 'related = ["refund", "wechat:lost-phone"]'})
    assert read_pack(text, "demo.toml").unwrap().guides[0].related == ("refund", "wechat:lost-phone")
    text = minimal_pack_text(**{'related = ["refund"]': 'related = ["demo:forgot-password"]'})
    assert errors(text) == [("guides[0].related[0]", "a guide cannot be related to itself")]
