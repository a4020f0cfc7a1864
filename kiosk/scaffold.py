"""`kiosk packs new`: a complete, installable pack distribution with a small valid example.

The generated folder is what docs/packs.md describes: a `pyproject.toml`
registering the plugin under the `kiosk.packs` entry-point group with a
wallet-kiosk version range, the plugin module, the pack document (written
with tomli-w from plain data), a README with the next steps and a test file
that uses the kiosk's pytest plugin. `pip install` of the folder is all it
takes for the pack to appear in `kiosk packs list`.

The example is obviously an example: every source is on example.com and the
hotline number 95000 is a placeholder the author must replace.
"""

from __future__ import annotations

import datetime as _dt
from pathlib import Path

from kiosk.compat import suggested_requirement
from kiosk.model import FORMAT_VERSION, GENERAL_PACK_ID, SLUG_RULE, is_slug

#: The placeholder hotline: a syntactically valid 95 number, not any real wallet's.
PLACEHOLDER_NUMBER = "95000"


class ScaffoldError(Exception):
    """The pack cannot be created (bad id, folder already there); the message says why."""


def check_pack_id(pack_id: str) -> str | None:
    """Why `pack_id` cannot be a new pack's id, or None."""
    if not is_slug(pack_id):
        return f"{pack_id!r} is not a valid pack id: {SLUG_RULE}"
    if pack_id == GENERAL_PACK_ID:
        return f"'{GENERAL_PACK_ID}' is the kiosk's built-in pack; choose another id"
    return None


def distribution_name(pack_id: str) -> str:
    return f"kiosk-pack-{pack_id}"


def module_name(pack_id: str) -> str:
    return f"kiosk_pack_{pack_id.replace('-', '_')}"


def create_pack(
    folder: str | Path, pack_id: str, *, name: str | None = None, today: _dt.date | None = None
) -> list[Path]:
    """Create the distribution folder `folder` for pack `pack_id`; return the files written.

    Refuses an invalid id, the general pack's id and an existing `folder`.
    """
    problem = check_pack_id(pack_id)
    if problem:
        raise ScaffoldError(problem)
    folder = Path(folder)
    if folder.exists():
        raise ScaffoldError(f"{folder} already exists; choose another folder or move it away (nothing was overwritten)")
    display = name or pack_id.replace("-", " ").title()
    _check_name(display)
    today = today or _dt.date.today()
    module = module_name(pack_id)
    document = example_pack_text(pack_id, display, today)
    _check_example(document, pack_id, today)
    files = {
        Path("pyproject.toml"): _pyproject(pack_id, module),
        Path("README.md"): _readme(pack_id, module, display),
        Path(".gitignore"): "__pycache__/\n*.egg-info/\nbuild/\ndist/\n.pytest_cache/\n",
        Path(module) / "__init__.py": _plugin(pack_id),
        Path(module) / f"{pack_id}.toml": document,
        Path("tests") / "test_pack.py": _test_file(pack_id),
    }
    try:
        folder.mkdir(parents=True)
    except FileExistsError:  # created meanwhile
        raise ScaffoldError(f"{folder} already exists; nothing was overwritten") from None
    written = []
    for relative, content in files.items():
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8", newline="\n")
        written.append(path)
    return written


# -- the pack document -----------------------------------------------------------


def example_document(pack_id: str, name: str, today: _dt.date) -> dict:
    """A small valid pack in both languages: what every section looks like, nothing real."""

    def source(path: str) -> dict:
        # Every source says who published it; a number needs one better than "other".
        return {"url": f"https://example.com/{path}", "kind": "official", "verified": today, "confidence": "low"}

    return {
        "format": FORMAT_VERSION,
        "pack": {
            "id": pack_id,
            "name": {"zh-CN": name, "en": name},
            "summary": {
                "zh-CN": f"{name}：示例资料包，请换成真实的联系方式和指南",
                "en": f"{name}: an example pack; replace it with real contacts and guides",
            },
            "brand_colour": "#4A6FA5",
            "version": "0.1.0",
            "locales": ["zh-CN", "en"],
        },
        "channels": [
            {
                "id": "hotline",
                "kind": "hotline",
                "label": {"zh-CN": f"{name}客服热线（示例号码）", "en": f"{name} hotline (placeholder number)"},
                "value": PLACEHOLDER_NUMBER,
                "purpose": {"zh-CN": "账户和付款问题", "en": "Account and payment problems"},
                "source": "https://example.com/contact",
                "source_kind": "official",
                "verified": today,
                "confidence": "low",
                "hours": "unknown",
                "note": {
                    "zh-CN": f"{PLACEHOLDER_NUMBER} 是占位号码，发布前请换成真实号码并核实服务时间。",
                    "en": f"{PLACEHOLDER_NUMBER} is a placeholder: replace it with the real number and "
                    "check the hours before publishing.",
                },
            },
            {
                "id": "in-app",
                "kind": "in_app",
                "label": {"zh-CN": "App 内在线客服", "en": "In-app customer service"},
                "value": {"zh-CN": "我的 → 帮助与客服", "en": "Me → Help & support"},
                "purpose": {"zh-CN": "登录后在 App 里咨询任何问题", "en": "Ask about anything from inside the app"},
                "source": "https://example.com/app-help",
                "source_kind": "official",
                "verified": today,
                "confidence": "low",
                "hours": "always",
                "self_service": True,
                "note": {
                    "zh-CN": "菜单名称随版本变化，以上是大致位置；找不到时在 App 里搜索“客服”。",
                    "en": "Menu labels change between app versions; the path is approximate. "
                    'If a label differs, search the app for "help".',
                },
            },
        ],
        "guides": [
            {
                "id": "forgot-password",
                "category": "password",
                "title": {"zh-CN": "忘记登录密码", "en": "I forgot my login password"},
                "summary": {
                    "zh-CN": "在登录页面用短信验证码重设密码；不行再联系客服。",
                    "en": "Reset the password with a text-message code on the login screen; "
                    "if that fails, contact customer service.",
                },
                "keywords": ["密码", "mima", "password", "pasword", "login"],
                "prepare": [{"zh-CN": "注册时用的手机号", "en": "The phone number you signed up with"}],
                "steps": [
                    {
                        "text": {
                            "zh-CN": "打开 App，在登录页面点“忘记密码”。",
                            "en": 'Open the app and tap "Forgot password" on the login screen.',
                        },
                        "channel": "in-app",
                    },
                    {
                        "text": {
                            "zh-CN": "输入收到的短信验证码，设置新密码。",
                            "en": "Enter the code from the text message and choose a new password.",
                        },
                        "detail": {
                            "zh-CN": "验证码只能自己输入，不要告诉任何人。",
                            "en": "Type the code yourself; never tell it to anyone.",
                        },
                    },
                    {
                        "text": {
                            "zh-CN": "收不到验证码或账户被锁定：拨打客服热线。",
                            "en": "No code, or the account is locked: call the hotline.",
                        },
                        "channel": "hotline",
                        "continues": False,
                    },
                ],
                "escalate": ["hotline", f"{GENERAL_PACK_ID}:pboc-12363"],
                "sources": [source("help/password")],
            }
        ],
        "checklist": [
            {
                "id": "payment-lock",
                "text": {
                    "zh-CN": "打开支付密码或指纹、面容验证",
                    "en": "Turn on a payment password or fingerprint/face check",
                },
                "why": {
                    "zh-CN": "手机丢了，别人也不能直接付款。",
                    "en": "If the phone is lost, nobody can pay with it straight away.",
                },
                "how": {"zh-CN": "我的 → 设置 → 支付设置", "en": "Me → Settings → Payment settings"},
            }
        ],
        "scams": [
            {
                "id": "fake-refund-call",
                "title": {"zh-CN": "冒充客服“退款”", "en": "Fake customer service offering a refund"},
                "how_it_works": {
                    "zh-CN": "对方自称客服，说要给你退款或理赔，让你共享屏幕、提供验证码或转账。",
                    "en": "Someone claiming to be customer service offers a refund or compensation, then asks "
                    "you to share your screen, read out a code or transfer money.",
                },
                "signs": [
                    {"zh-CN": "主动来电说要退款", "en": "An unexpected call offering a refund"},
                    {
                        "zh-CN": "要求共享屏幕或下载会议软件",
                        "en": "You are asked to share your screen or install a meeting app",
                    },
                ],
                "what_to_do": {
                    "zh-CN": "挂断，自己拨打官方号码核实；已经转账的请立即报警。",
                    "en": "Hang up and call the official number yourself; if you already paid, call the police now.",
                },
                "sources": [source("security/refund-scam")],
                "keywords": ["退款", "tuikuan", "refund"],
            }
        ],
        "never_asks": [
            {
                "id": "sms-code",
                "text": {"zh-CN": "你的短信验证码", "en": "Your text-message verification code"},
                "sources": [source("security")],
            }
        ],
    }


def _check_name(name: str) -> None:
    from kiosk.textsafety import forbidden_characters

    if not name.strip():
        raise ScaffoldError("the name is empty")
    for _, description in forbidden_characters(name)[:1]:
        raise ScaffoldError(
            f"the name contains the control character {description}; "
            "text shown on a terminal must not contain control or bidi characters"
        )


def _check_example(text: str, pack_id: str, today: _dt.date) -> None:
    """The example must be valid as written; a name with control characters, say, is refused."""
    from kiosk.packfile import read_pack

    result = read_pack(text, f"{pack_id}.toml", today=today)
    if result.errors:
        raise ScaffoldError(
            "the example pack would not be valid: "
            + "; ".join(f"{i.field}: {i.message}" if i.field else i.message for i in result.errors)
        )


def example_pack_text(pack_id: str, name: str, today: _dt.date) -> str:
    import tomli_w

    header = (
        f"# {name}: a wallet-kiosk knowledge pack (pack format {FORMAT_VERSION}).\n"
        "# This is an EXAMPLE. Replace every fact before publishing:\n"
        f"#   - the hotline number {PLACEHOLDER_NUMBER} is a placeholder, not a real service number;\n"
        "#   - every source is on example.com; point each fact at the page it comes from,\n"
        "#     say who published it (`kind` / `source_kind`: official, regulator, government,\n"
        "#     media or other) and set `verified` to the day you checked it.\n"
        "# The format is described in wallet-kiosk's docs/packs.md.\n"
        "# Check the file with: kiosk packs validate .\n\n"
    )
    return header + tomli_w.dumps(example_document(pack_id, name, today))


# -- the distribution ---------------------------------------------------------------


def _pyproject(pack_id: str, module: str) -> str:
    return f'''[build-system]
requires = ["hatchling>=1.21"]
build-backend = "hatchling.build"

[project]
name = "{distribution_name(pack_id)}"
version = "0.1.0"
description = "wallet-kiosk knowledge pack: {pack_id}"
readme = "README.md"
requires-python = ">=3.11"
# The kiosk versions this pack works with (pack format {FORMAT_VERSION}); see "Compatibility" in the guide.
dependencies = ["{suggested_requirement()}"]

[project.optional-dependencies]
test = ["pytest>=8.4,<9"]

# This is how the kiosk finds the pack: one entry point in the "kiosk.packs" group.
[project.entry-points."kiosk.packs"]
{pack_id} = "{module}"

[tool.hatch.build.targets.wheel]
packages = ["{module}"]

[tool.pytest.ini_options]
testpaths = ["tests"]
'''


def _plugin(pack_id: str) -> str:
    return f'''"""wallet-kiosk pack {pack_id}. The knowledge itself is data, in {pack_id}.toml."""

from importlib.resources import files

from kiosk import hookimpl


@hookimpl
def kiosk_packs():
    return [files(__name__) / "{pack_id}.toml"]
'''


def _test_file(pack_id: str) -> str:
    return f'''"""Tests for the {pack_id} pack.

The fixtures (kiosk_pack_file, kiosk_pack) and helpers come from the kiosk's
pytest plugin, which pytest loads by itself once wallet-kiosk is installed.
"""

import datetime as dt
from zoneinfo import ZoneInfo

from kiosk.testing import assert_hours, assert_pack_valid, render_pack_screen, screen_text

#: A Monday morning in Beijing time: a normal working day.
MONDAY_MORNING = dt.datetime(2026, 11, 23, 10, 30, tzinfo=ZoneInfo("Asia/Shanghai"))


def test_pack_document_is_valid(kiosk_pack_file):
    # Fails with every problem listed as file:line: field: reason.
    # strict=True also fails on warnings (stale `verified` dates, missing translations).
    assert_pack_valid(kiosk_pack_file)


def test_hotline_hours_are_not_guessed(kiosk_pack):
    # The example hotline's hours are "unknown". Once you have confirmed the real hours, write
    # them in the pack and check instants you know, e.g. "open" on a Monday morning.
    assert_hours(kiosk_pack, "hotline", MONDAY_MORNING, "unknown")


def test_in_app_help_always_works(kiosk_pack):
    assert_hours(kiosk_pack, "in-app", MONDAY_MORNING, "always")


def test_pack_renders_in_the_kiosk(kiosk_pack):
    # An SVG screenshot of the pack's screen with a fixed clock; compare it with a stored
    # snapshot (pytest-textual-snapshot, syrupy) if you want to catch layout changes.
    svg = render_pack_screen(kiosk_pack, locale="en", when=MONDAY_MORNING)
    shown = screen_text(svg)
    assert kiosk_pack.pack.name["en"] in shown
    assert kiosk_pack.channel("hotline").value["en"] in shown
'''


def _readme(pack_id: str, module: str, name: str) -> str:
    dist = distribution_name(pack_id)
    return f"""# {dist}

A wallet-kiosk knowledge pack: **{name}**, in Simplified Chinese and English.

All the knowledge lives in one file, `{module}/{pack_id}.toml` (pack format {FORMAT_VERSION}). The
kiosk finds it through the `kiosk.packs` entry point declared in `pyproject.toml`; you never
change the kiosk's code.

> **The file is an example.** The hotline number `{PLACEHOLDER_NUMBER}` is a placeholder and every
> source is on example.com. Replace them with real facts before you publish.

## Next steps

1. **Edit** `{module}/{pack_id}.toml`: the name, summary and colour under `[pack]`, your real
   channels (number, hours, source, the date you checked it), guides, checklist, scam
   warnings and what your official service never asks for. Write every text in both `zh-CN`
   and `en`. Never guess opening hours: keep `hours = "unknown"` until they are confirmed.
   The format is described in wallet-kiosk's authoring guide (`docs/packs.md`).
2. **Validate** the document, the folder, or later the built wheel:

   ```sh
   kiosk packs validate .
   ```

   Exit code 0 means valid, 1 invalid (every problem is listed with file, line and field),
   2 a usage error. Warnings point at facts checked more than a year ago and at missing
   translations.
3. **Test** with the kiosk's pytest plugin (see `tests/test_pack.py`):

   ```sh
   pip install -e ".[test]"
   pytest
   ```

4. **Try it** in the kiosk: after `pip install -e .` the pack appears in `kiosk packs list`,
   and `kiosk` shows it on the home screen.
5. **Build and publish**:

   ```sh
   python -m build            # or: pip wheel --no-deps .
   kiosk packs validate dist/*.whl
   twine upload dist/*
   ```

   Raise `version` in both `pyproject.toml` and `[pack]` with every release.
"""


__all__ = [
    "PLACEHOLDER_NUMBER",
    "ScaffoldError",
    "check_pack_id",
    "create_pack",
    "distribution_name",
    "example_document",
    "example_pack_text",
    "module_name",
]
