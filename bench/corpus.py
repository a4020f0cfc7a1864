"""A synthetic, deterministic pack corpus for measuring search and start-up.

`synthetic_packs(200, 20)` gives 4,000 guides spread over 200 packs. Every pack
gets its own wallet name and its own mix of problems, so titles, keywords and
steps vary between packs instead of repeating one pack 200 times. The objects
are built directly from `kiosk.model`, without TOML, so generation is fast.
"""

from __future__ import annotations

import datetime as _dt
import random

from kiosk.model import (
    Category,
    Confidence,
    Guide,
    Manifest,
    Pack,
    ScamWarning,
    Source,
    Step,
    Text,
)

__all__ = ["synthetic_packs"]

# Pieces of wallet names: (zh, en). 20 x 12 combinations give 240 distinct names.
_NAME_HEADS = [
    ("星光", "Starlight"),
    ("云海", "Cloudsea"),
    ("金桥", "Goldbridge"),
    ("长江", "Yangtze"),
    ("东方", "Orient"),
    ("如意", "Ruyi"),
    ("万家", "Wanjia"),
    ("飞鸿", "Feihong"),
    ("青松", "Pine"),
    ("天翼", "Skywing"),
    ("和信", "Hexin"),
    ("惠民", "Huimin"),
    ("新城", "Newtown"),
    ("锦程", "Jincheng"),
    ("瑞丰", "Ruifeng"),
    ("鼎盛", "Dingsheng"),
    ("海川", "Haichuan"),
    ("泰和", "Taihe"),
    ("安居", "Anju"),
    ("乐享", "Lexiang"),
]
_NAME_TAILS = [
    ("钱包", "Wallet"),
    ("支付", "Pay"),
    ("付", "Fu"),  # not "Pay": "Starlight Pay" is 星光支付's
    ("宝", "Bao"),
    ("通", "Tong"),
    ("闪付", "QuickPay"),
    ("银行", "Bank"),
    ("金融", "Finance"),
    ("易付", "EasyPay"),
    ("e钱包", "eWallet"),
    ("商城支付", "Mall Pay"),
    ("生活", "Life"),
]

# Problem nouns: (zh, en, pinyin keyword, category).
_NOUNS = [
    ("支付密码", "payment password", "zhifumima", Category.PASSWORD),
    ("登录密码", "login password", "denglumima", Category.PASSWORD),
    ("手势密码", "gesture password", "shoushimima", Category.PASSWORD),
    ("账户", "account", "zhanghu", Category.ACCOUNT),
    ("银行卡", "bank card", "yinhangka", Category.ACCOUNT),
    ("信用卡", "credit card", "xinyongka", Category.PAYMENT),
    ("手机号", "phone number", "shoujihao", Category.ACCOUNT),
    ("实名认证", "real-name verification", "shimingrenzheng", Category.ACCOUNT),
    ("人脸识别", "face recognition", "renlianshibie", Category.SECURITY),
    ("余额", "balance", "yue", Category.PAYMENT),
    ("零钱", "small change", "lingqian", Category.PAYMENT),
    ("红包", "red packet", "hongbao", Category.TRANSFER),
    ("转账", "transfer", "zhuanzhang", Category.TRANSFER),
    ("退款", "refund", "tuikuan", Category.REFUND),
    ("提现", "withdrawal", "tixian", Category.FEES),
    ("充值", "top-up", "chongzhi", Category.PAYMENT),
    ("账单", "bill", "zhangdan", Category.PAYMENT),
    ("自动扣款", "automatic deduction", "zidongkoukuan", Category.PAYMENT),
    ("免密支付", "password-free payment", "mianmizhifu", Category.PAYMENT),
    ("付款码", "payment code", "fukuanma", Category.PAYMENT),
    ("收款码", "collection code", "shoukuanma", Category.PAYMENT),
    ("手续费", "service fee", "shouxufei", Category.FEES),
    ("订单", "order", "dingdan", Category.REFUND),
    ("优惠券", "coupon", "youhuiquan", Category.PAYMENT),
    ("数字证书", "digital certificate", "shuzizhengshu", Category.SECURITY),
    ("绑定设备", "linked device", "bangdingshebei", Category.SECURITY),
]

# Problems: (zh template, en template, extra zh keyword, extra en keyword). {n} is the noun.
_PROBLEMS = [
    ("忘记{n}", "Forgot {n}", "忘记", "forgot"),
    ("{n}被冻结", "{N} frozen", "冻结", "frozen"),
    ("{n}解冻", "Unfreeze {n}", "解冻", "unfreeze"),
    ("修改{n}", "Change {n}", "修改", "change"),
    ("{n}被盗用", "{N} used without permission", "盗用", "stolen"),
    ("{n}无法使用", "{N} not working", "无法使用", "not working"),
    ("{n}到账慢", "{N} arrives late", "到账", "delay"),
    ("{n}扣费异常", "Unexpected charge on {n}", "扣费", "charge"),
    ("申请{n}", "Apply for {n}", "申请", "apply"),
    ("取消{n}", "Cancel {n}", "取消", "cancel"),
    ("查询{n}", "Check {n}", "查询", "check"),
    ("挂失{n}", "Report lost {n}", "挂失", "report lost"),
    ("找回{n}", "Recover {n}", "找回", "recover"),
    ("重置{n}", "Reset {n}", "重置", "reset"),
    ("{n}显示错误", "{N} shows an error", "错误", "error"),
    ("{n}绑定失败", "Cannot link {n}", "绑定", "link"),
    ("{n}解绑", "Unlink {n}", "解绑", "unlink"),
    ("{n}被限额", "Limit on {n}", "限额", "limit"),
]

_TITLE_FRAMES = [
    ("{t}", "{t}"),
    ("{t}怎么办", "{t}: what to do"),
    ("{w}{t}", "{t} in {we}"),
    ("{t}了怎么处理", "{t}, how to fix it"),
    ("{w}{t}怎么办", "{t} in {we}: what to do"),
    ("在{w}{t}", "{t} with {we}"),
]

_STEPS = [
    ("打开{w}，点“我的”进入“设置”页面", "Open {we}, tap Me and go to Settings"),
    ("在“帮助中心”搜索“{n}”，按提示操作", "In the Help Center search for “{ne}” and follow the prompts"),
    ("准备好身份证和绑定的手机，完成身份验证", "Have your ID card and linked phone ready and verify your identity"),
    ("选择“{n}”，核对页面上的姓名和金额", "Choose “{ne}” and check the name and amount shown"),
    ("输入短信验证码，不要把验证码告诉任何人", "Enter the SMS code and never tell anyone the code"),
    ("如果页面提示失败，等十分钟后再试一次", "If the page says it failed, wait ten minutes and try again"),
    ("拨打{w}官方客服热线，说明{n}的问题", "Call the official {we} hotline and describe the {ne} problem"),
    ("在“账单”里找到这笔交易，截图保存", "Find the transaction under Bills and keep a screenshot"),
    ("联系商家说明情况，要求原路退回款项", "Ask the merchant to return the money the way you paid"),
    ("到银行柜台办理，带上本人有效证件", "Go to a bank counter with your own valid ID"),
    ("在安全中心开启登录保护和设备锁", "Turn on login protection and device lock in Security Center"),
    ("处理完成后重新登录，检查{n}是否恢复", "Sign in again afterwards and check that {ne} works"),
    ("如果怀疑被骗，立即拨打110报警", "If you suspect fraud, call 110 at once"),
    ("等待审核结果，一般一到三个工作日", "Wait for the review, usually one to three working days"),
]

_SUMMARIES = [
    ("{t}时，按下面几步在{w}里自助处理。", "When you face {te}, fix it yourself in {we} with these steps."),
    ("先自助处理，不行再联系{w}客服。", "Try self-service first, then contact {we} support."),
    ("{t}通常几分钟就能解决，记得核实身份。", "{TE} is usually fixed in minutes once you verify your identity."),
]

_SCAMS = [
    ("冒充{w}客服退款", "Fake {we} support offering a refund", "退款诈骗", "refund scam"),
    ("{w}账户被冻结的假短信", "Fake texts saying your {we} account is frozen", "冻结短信", "frozen account text"),
    ("{w}中奖领红包陷阱", "Fake {we} prize red packets", "中奖诈骗", "prize scam"),
]

_MISSPELLINGS = {
    "password": "pasword",
    "refund": "refud",
    "account": "acount",
    "transfer": "tranfer",
    "balance": "balence",
    "withdrawal": "withdrawl",
    "frozen": "forzen",
}


def synthetic_packs(n_packs: int, guides_per_pack: int, seed: int = 0) -> list[Pack]:
    """`n_packs` packs of `guides_per_pack` guides (plus two scam warnings each), same for a seed."""
    combinations = len(_NOUNS) * len(_PROBLEMS)
    if not 0 <= guides_per_pack <= combinations:
        raise ValueError(f"guides_per_pack must be between 0 and {combinations}")
    rng = random.Random(seed)
    verified = _dt.date(2026, 1, 1)
    packs: list[Pack] = []
    for p in range(n_packs):
        head = _NAME_HEADS[p % len(_NAME_HEADS)]
        tail = _NAME_TAILS[(p // len(_NAME_HEADS)) % len(_NAME_TAILS)]
        wallet_zh, wallet_en = head[0] + tail[0], f"{head[1]} {tail[1]}"
        # Every name must read as its own wallet, or the kiosk quarantines the pack as a look-alike
        # (kiosk.identity: equal once folded, or one name inside another). Past the head x tail
        # names a number goes between head and tail: "星光2号钱包" holds no other pack's name,
        # where "星光钱包2" would hold "星光钱包".
        lap = p // (len(_NAME_HEADS) * len(_NAME_TAILS))
        if lap:
            wallet_zh, wallet_en = f"{head[0]}{lap + 1}号{tail[0]}", f"{head[1]} {lap + 1} {tail[1]}"
        pack_id = f"synthetic-{p:03d}"
        source = Source(url=f"https://example.com/{pack_id}/help", verified=verified, confidence=Confidence.MEDIUM)
        fill = {"w": wallet_zh, "we": wallet_en}

        pairs = rng.sample([(n, q) for n in range(len(_NOUNS)) for q in range(len(_PROBLEMS))], guides_per_pack)
        guides = []
        for g, (ni, pi) in enumerate(pairs):
            noun_zh, noun_en, noun_py, category = _NOUNS[ni]
            problem_zh, problem_en, extra_zh, extra_en = _PROBLEMS[pi]
            topic_zh = problem_zh.format(n=noun_zh)
            topic_en = problem_en.format(n=noun_en, N=noun_en[:1].upper() + noun_en[1:])
            # Realistic titles are 6-12 characters long.
            frames = [f for f in _TITLE_FRAMES if 6 <= len(f[0].format(t=topic_zh, **fill)) <= 12]
            frame_zh, frame_en = rng.choice(frames or _TITLE_FRAMES[1:2])
            title = Text({"zh-CN": frame_zh.format(t=topic_zh, **fill), "en": frame_en.format(t=topic_en, **fill)})
            words = {**fill, "n": noun_zh, "ne": noun_en, "t": topic_zh, "te": topic_en.lower(), "TE": topic_en}
            summary_zh, summary_en = rng.choice(_SUMMARIES)
            summary = Text({"zh-CN": summary_zh.format(**words), "en": summary_en.format(**words)})
            steps = tuple(
                Step(text=Text({"zh-CN": zh.format(**words), "en": en.format(**words)}))
                for zh, en in rng.sample(_STEPS, rng.randint(4, 6))
            )
            keywords = [noun_zh, noun_en, noun_py, extra_zh, extra_en, topic_zh]
            optional = [
                wallet_zh,
                wallet_en.lower(),
                _MISSPELLINGS.get(noun_en.split()[-1]),
                f"{wallet_zh}{noun_zh}",
                category.value,
            ]
            keywords += [k for k in rng.sample(optional, rng.randint(0, 4)) if k]
            guides.append(
                Guide(
                    id=f"g{g:02d}-{ni}-{pi}",
                    category=category,
                    title=title,
                    summary=summary,
                    steps=steps,
                    sources=(source,),
                    keywords=tuple(dict.fromkeys(keywords)),
                )
            )

        scams = []
        for s, (zh, en, kw_zh, kw_en) in enumerate(rng.sample(_SCAMS, 2)):
            scams.append(
                ScamWarning(
                    id=f"scam-{s}",
                    title=Text({"zh-CN": zh.format(**fill), "en": en.format(**fill)}),
                    how_it_works=Text(
                        {
                            "zh-CN": f"骗子冒充{wallet_zh}工作人员，以{kw_zh}为由要你转账或提供验证码。",
                            "en": f"Someone posing as {wallet_en} staff uses a {kw_en} story "
                            "to get a transfer or your code.",
                        }
                    ),
                    signs=(
                        Text(
                            {
                                "zh-CN": "要你离开官方应用，加好友或点链接",
                                "en": "They want you to leave the official app",
                            }
                        ),
                        Text(
                            {
                                "zh-CN": "索要短信验证码或让你共享屏幕",
                                "en": "They ask for an SMS code or screen sharing",
                            }
                        ),
                    ),
                    what_to_do=Text(
                        {
                            "zh-CN": "挂断电话，自己打开应用核实，已转账立即报警",
                            "en": "Hang up, check in the app yourself, and call the police if you paid",
                        }
                    ),
                    sources=(source,),
                    keywords=(kw_zh, kw_en),
                )
            )

        manifest = Manifest(
            id=pack_id,
            name=Text({"zh-CN": wallet_zh, "en": wallet_en}),
            summary=Text({"zh-CN": f"{wallet_zh}常见问题", "en": f"Common {wallet_en} problems"}),
            brand_colour=f"#{rng.randrange(0x1000000):06X}",
            version="1.0.0",
            locales=("zh-CN", "en"),
        )
        packs.append(Pack(format=1, pack=manifest, guides=tuple(guides), scams=tuple(scams)))
    return packs
