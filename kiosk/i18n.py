"""The kiosk's own words (not pack text) in every locale, and the lookup that picks one.

Pack text comes with its translations; this catalogue covers the frame around
it: buttons, headings, key labels, category and channel-kind names. A test
checks that every key exists in every locale, so a screen never shows a raw key.
"""

from __future__ import annotations

from kiosk.model import LOCALES

#: Keys are grouped by screen. Every key is read somewhere in kiosk/ (a test checks), either
#: literally or as a family built from an enumeration (`category.<Category>`, `key.<binding id>`).
CATALOG: dict[str, dict[str, str]] = {
    # -- frame and keys ------------------------------------------------------
    "app.title": {"zh-CN": "钱包自助服务", "en": "Wallet Help Kiosk"},
    "key.back": {"zh-CN": "返回", "en": "Back"},
    "key.home": {"zh-CN": "首页", "en": "Home"},
    "key.language": {"zh-CN": "English", "en": "中文"},
    "key.next": {"zh-CN": "下一步", "en": "Next step"},
    "key.previous": {"zh-CN": "上一步", "en": "Previous"},
    "key.solved": {"zh-CN": "已解决", "en": "Solved"},
    "key.need_help": {"zh-CN": "仍需帮助", "en": "Still need help"},
    "key.search": {"zh-CN": "搜索", "en": "Search"},
    "key.toggle": {"zh-CN": "勾选", "en": "Tick"},
    "key.about": {"zh-CN": "关于", "en": "About"},
    "key.end": {"zh-CN": "结束使用", "en": "End session"},
    "key.select": {"zh-CN": "选择", "en": "Select"},
    "key.guides": {"zh-CN": "常见问题", "en": "Problems"},
    "key.contacts": {"zh-CN": "联系方式", "en": "Contacts"},
    "key.results": {"zh-CN": "结果", "en": "Results"},
    "fallback.marker.zh-CN": {"zh-CN": "（英文）", "en": "(English)"},
    "fallback.marker.en": {"zh-CN": "（中文）", "en": "(Chinese)"},
    # -- home -----------------------------------------------------------------
    "home.greeting": {
        "zh-CN": "请选择您的钱包，或选择下方的帮助。按数字键或点击。",
        "en": "Choose your wallet or a kind of help below. Press its number or tap it.",
    },
    "home.wallets": {"zh-CN": "钱包", "en": "Wallets"},
    "tile.search": {"zh-CN": "搜索问题", "en": "Search"},
    "tile.search.sub": {"zh-CN": "中文、拼音、首字母或英文", "en": "Chinese, pinyin, initials or English"},
    "tile.checklist": {"zh-CN": "安全检查", "en": "Security checklist"},
    "tile.checklist.sub": {"zh-CN": "逐项检查账户安全", "en": "Check your account safety step by step"},
    "tile.number": {"zh-CN": "号码是真的吗？", "en": "Is this number official?"},
    "tile.number.sub": {"zh-CN": "核对来电或短信号码", "en": "Check a number that called or texted you"},
    "tile.escalation": {"zh-CN": "投诉与升级", "en": "Complaints and escalation"},
    "tile.escalation.sub": {"zh-CN": "问题没解决？下一步找谁", "en": "Not resolved? Who to turn to next"},
    "tile.prepare": {"zh-CN": "打电话前准备", "en": "Before you call"},
    "tile.prepare.sub": {"zh-CN": "客服会问什么", "en": "What the agent will ask for"},
    "tile.language": {"zh-CN": "Language: English", "en": "语言：中文"},
    "tile.language.sub": {"zh-CN": "切换到英文", "en": "Switch to Chinese"},
    "tile.all_wallets": {"zh-CN": "全部钱包（{n} 个）", "en": "All wallets ({n})"},
    "tile.all_wallets.sub": {"zh-CN": "还有：{names}", "en": "Also: {names}"},
    "tile.contacts": {"zh-CN": "全部联系方式", "en": "All contacts"},
    "tile.contacts.sub": {"zh-CN": "官方热线和渠道", "en": "Official hotlines and channels"},
    # -- wallet ---------------------------------------------------------------
    "wallet.contacts": {"zh-CN": "官方联系方式", "en": "Official contacts"},
    "wallet.guides": {"zh-CN": "常见问题", "en": "Common problems"},
    "wallet.no_guides": {"zh-CN": "此钱包暂无问题指南。", "en": "This wallet has no guides yet."},
    "wallet.only_official": {
        "zh-CN": "只使用这里或官方应用里显示的号码。网上搜到的“客服电话”可能是骗子。",
        "en": "Only use numbers shown here or in the official app. Numbers found by web search may be scams.",
    },
    # -- channel card ---------------------------------------------------------
    "channel.people": {"zh-CN": "人工", "en": "Agents"},
    "channel.automated": {"zh-CN": "自动服务", "en": "Automated"},
    "channel.self_service": {"zh-CN": "自助", "en": "Self-service"},
    "channel.for": {"zh-CN": "适用：{audience}", "en": "For: {audience}"},
    "hours.set_by_branch": {
        "zh-CN": "服务时间由本网点（{branch}）提供",
        "en": "Hours given by this branch ({branch})",
    },
    # -- sources (kiosk.source_text): who published a fact, never a raw address ----
    "source.line": {"zh-CN": "来源：{entry}", "en": "Source: {entry}"},
    "source.lines": {"zh-CN": "资料来源：{entries}", "en": "Sources: {entries}"},
    "source.entry": {
        "zh-CN": "{kind} · {date} 核实 · 可信度{confidence}",
        "en": "{kind} · checked {date} · {confidence} confidence",
    },
    "source.separator": {"zh-CN": "；", "en": "; "},
    "source.kind.official": {"zh-CN": "官方网站", "en": "official website"},
    "source.kind.regulator": {"zh-CN": "监管部门网站", "en": "regulator's website"},
    "source.kind.government": {"zh-CN": "政府部门网站", "en": "government website"},
    "source.kind.media": {"zh-CN": "媒体或机构发布", "en": "news media or institution"},
    "source.kind.other": {"zh-CN": "非官方网站", "en": "unofficial website"},
    "source.address": {"zh-CN": "网址：{url}", "en": "Address: {url}"},
    "confidence.high": {"zh-CN": "高", "en": "high"},
    "confidence.medium": {"zh-CN": "中", "en": "medium"},
    "confidence.low": {"zh-CN": "低", "en": "low"},
    "audience.consumer": {"zh-CN": "个人用户", "en": "consumers"},
    "audience.merchant": {"zh-CN": "商户", "en": "merchants"},
    "audience.overseas": {"zh-CN": "境外用户", "en": "overseas users"},
    "kind.hotline": {"zh-CN": "热线", "en": "Hotline"},
    "kind.chat": {"zh-CN": "在线客服", "en": "Online chat"},
    "kind.in_app": {"zh-CN": "应用内", "en": "In the app"},
    "kind.web": {"zh-CN": "网站", "en": "Website"},
    "kind.email": {"zh-CN": "邮箱", "en": "Email"},
    "kind.social": {"zh-CN": "公众号", "en": "Official account"},
    "kind.regulator": {"zh-CN": "监管", "en": "Regulator"},
    "kind.police": {"zh-CN": "公安", "en": "Police"},
    # -- categories -----------------------------------------------------------
    "category.account": {"zh-CN": "账户", "en": "Account"},
    "category.password": {"zh-CN": "密码", "en": "Password"},
    "category.payment": {"zh-CN": "付款", "en": "Payments"},
    "category.transfer": {"zh-CN": "转账到账", "en": "Transfers"},
    "category.refund": {"zh-CN": "退款", "en": "Refunds"},
    "category.fees": {"zh-CN": "费用", "en": "Fees"},
    "category.security": {"zh-CN": "安全与丢机", "en": "Security and lost phone"},
    "category.complaint": {"zh-CN": "投诉升级", "en": "Complaints"},
    "category.scam": {"zh-CN": "防骗", "en": "Scams"},
    # -- guide ----------------------------------------------------------------
    "guide.step_of": {"zh-CN": "第 {n} 步，共 {m} 步", "en": "Step {n} of {m}"},
    "guide.overseas_line": {"zh-CN": "面向境外用户的热线：", "en": "For visitors from abroad, this line:"},
    "guide.solved": {"zh-CN": "✓ 已解决", "en": "✓ This solved it"},
    "guide.next": {"zh-CN": "下一步 →", "en": "Next step →"},
    "guide.previous": {"zh-CN": "← 上一步", "en": "← Previous"},
    "guide.need_help": {"zh-CN": "仍需帮助", "en": "I still need help"},
    "guide.dead_end": {
        "zh-CN": "如果这一步没有解决，请直接联系下面的渠道。",
        "en": "If this step did not solve it, contact the channels below.",
    },
    "guide.uses_channel": {"zh-CN": "这一步用到：", "en": "This step uses:"},
    "guide.escalate_title": {"zh-CN": "还没解决？联系他们", "en": "Not solved? Contact them"},
    "guide.prepare_title": {"zh-CN": "联系之前请准备", "en": "Have this ready before you contact them"},
    "guide.prepare_more": {"zh-CN": "完整的准备清单", "en": "Full “before you call” list"},
    "guide.done_title": {"zh-CN": "太好了，问题已解决。", "en": "Good, that solved it."},
    "guide.helpful": {"zh-CN": "这个指南有帮助吗？", "en": "Was this guide helpful?"},
    "guide.helpful_yes": {"zh-CN": "有帮助", "en": "Yes"},
    "guide.helpful_no": {"zh-CN": "没帮助", "en": "No"},
    "guide.thanks": {"zh-CN": "谢谢您的反馈。", "en": "Thank you for your feedback."},
    "guide.sorry": {
        "zh-CN": "抱歉没能帮上。请联系上面的渠道，或看看下面的相关问题。",
        "en": "Sorry it did not help. Contact the channels above, or try a related problem below.",
    },
    "guide.related": {"zh-CN": "相关问题", "en": "Related problems"},
    "guide.did_it_work": {"zh-CN": "这一步有用吗？", "en": "Did this work?"},
    "guide.it_worked": {"zh-CN": "有用", "en": "Yes"},
    "guide.it_did_not": {"zh-CN": "没用", "en": "No"},
    "guide.restart": {"zh-CN": "从第一步重新开始", "en": "Start again from step 1"},
    # -- search ---------------------------------------------------------------
    "search.placeholder": {
        "zh-CN": "输入中文、拼音（zfmm）或英文",
        "en": "Type Chinese, pinyin (zfmm) or English",
    },
    "search.hint": {
        "zh-CN": "例如：支付密码 · zhifumima · zfmm · refund",
        "en": "For example: 支付密码 · zhifumima · zfmm · refund",
    },
    "search.count": {"zh-CN": "找到 {n} 条结果", "en": "{n} results"},
    "search.none": {
        "zh-CN": "没有找到“{query}”。请按类别浏览，或查看全部联系方式。",
        "en": "Nothing found for “{query}”. Browse by category, or see all contacts.",
    },
    "search.scam": {"zh-CN": "防骗提醒", "en": "Scam warning"},
    "search.check_number": {"zh-CN": "核对这个号码：{number}", "en": "Check this number: {number}"},
    "search.popular": {"zh-CN": "大家常问", "en": "Popular problems"},
    # -- category / contacts --------------------------------------------------
    "category.title": {"zh-CN": "类别：{category}", "en": "Category: {category}"},
    "category.empty": {"zh-CN": "这个类别暂无指南。", "en": "No guides in this category yet."},
    "contacts.general": {"zh-CN": "监管与报警", "en": "Regulators and police"},
    # -- checklist ------------------------------------------------------------
    "checklist.wallets": {"zh-CN": "加入这些钱包的检查项：", "en": "Add the items for these wallets:"},
    "checklist.progress": {"zh-CN": "已完成 {done} / {total}", "en": "{done} of {total} done"},
    "checklist.all_done": {"zh-CN": "全部完成，做得好！", "en": "All done. Well done!"},
    "checklist.why": {"zh-CN": "为什么重要", "en": "Why it matters"},
    "checklist.how": {"zh-CN": "怎么做", "en": "How to do it"},
    "checklist.general": {"zh-CN": "通用", "en": "General"},
    "checklist.pick": {
        "zh-CN": "用方向键选择一项，空格或回车勾选。",
        "en": "Use the arrow keys to pick an item; Space or Enter ticks it.",
    },
    # -- escalation -----------------------------------------------------------
    "escalation.title": {"zh-CN": "投诉与升级：一步一步来", "en": "Complaints and escalation, one rung at a time"},
    "escalation.intro": {
        "zh-CN": "先找服务商本身；没有解决，再找对应的监管部门；钱已经被骗，立即报警。",
        "en": "Start with the provider itself; if that fails, go to the regulator that covers it; if money was taken by fraud, call the police at once.",
    },
    "escalation.when": {"zh-CN": "什么时候", "en": "When"},
    "escalation.handles": {"zh-CN": "负责", "en": "Handles"},
    "escalation.evidence": {"zh-CN": "保留这些证据", "en": "Keep this evidence"},
    # -- prepare --------------------------------------------------------------
    "prepare.title": {"zh-CN": "打电话前请准备好", "en": "Before you call, have this ready"},
    "prepare.never": {
        "zh-CN": "官方客服绝不会向您索要：",
        "en": "Official customer service never asks you for:",
    },
    # -- number check ---------------------------------------------------------
    "number.intro": {
        "zh-CN": "输入别人给你的号码，或者来电、短信上显示的号码，再选它是怎么来的。这里输入的号码不会被保存或记录。",
        "en": "Type the number you were given, or the one shown on a call or text, and say how you got it. Nothing you type here is saved or recorded.",
    },
    "number.placeholder": {"zh-CN": "例如 95188、0571-2688 6000", "en": "e.g. 95188, 0571-2688 6000"},
    "number.context": {"zh-CN": "这个号码是怎么来的？", "en": "How did you get this number?"},
    "number.context.incoming_call": {"zh-CN": "它打电话给我", "en": "It called me"},
    "number.context.sms": {"zh-CN": "它发短信给我", "en": "It sent me a text"},
    "number.context.found_online": {"zh-CN": "我在网上找到的", "en": "I found it online"},
    "number.check": {"zh-CN": "核对", "en": "Check"},
    "number.choose_context": {
        "zh-CN": "请先选一下这个号码是怎么来的：它打电话给你、发短信给你，还是你在网上找到的？选好就显示结果。",
        "en": "First say how you got this number: did it call you, text you, or did you find it online? The answer shows as soon as you choose.",
    },
    "number.delete": {"zh-CN": "删除", "en": "Delete"},
    "number.clear": {"zh-CN": "清空", "en": "Clear"},
    "number.prompt": {
        "zh-CN": "输入号码后按回车键，或点“核对”。",
        "en": "Type the number, then press Enter or tap Check.",
    },
    "number.verdict.official": {"zh-CN": "这是官方号码", "en": "This is an official number"},
    "number.verdict.warning": {
        "zh-CN": "请当心：这符合常见的诈骗特征",
        "en": "Be careful: this matches a known scam pattern",
    },
    "number.verdict.unknown": {
        "zh-CN": "本机资料里没有这个号码",
        "en": "This number is not on this kiosk's list of official numbers",
    },
    "number.verdict.invalid": {"zh-CN": "看不出这是一个电话号码", "en": "This cannot be read as a phone number"},
    "pack.unapproved_marker": {"zh-CN": "未核准", "en": "unapproved"},
    "number.verdict.listed": {
        "zh-CN": "本机资料里有这个号码，但未经确认",
        "en": "This number is listed on this kiosk, but not confirmed",
    },
    "number.menu": {
        "zh-CN": "你输入的是号码 {number}，再加语音菜单选项 {option}。下面核对的是号码 {number} 本身。",
        "en": "You typed the number {number} followed by the voice-menu option {option}. The check below is for the number {number} itself.",
    },
    "number.vouched": {
        "zh-CN": "由“{pack}”资料包列出 · 可信度{confidence} · {date} 核实",
        "en": "Listed by the {pack} pack · {confidence} confidence · checked {date}",
    },
    "number.unconfirmed_intro": {
        "zh-CN": "本机资料中列有这个号码，但不能据此确认：",
        "en": "Listed on this kiosk, but this does not confirm it:",
    },
    "number.unconfirmed.low-confidence": {
        "zh-CN": "这条资料的可信度低，还没有核实。",
        "en": "This listing has low confidence and has not been confirmed.",
    },
    "number.unconfirmed.unapproved": {
        "zh-CN": "列出它的资料包未经本机管理员核准（仅在开发模式中显示）。",
        "en": "The pack that lists it has not been approved by this kiosk's operator (shown in development mode only).",
    },
    "number.unconfirmed.conflict": {
        "zh-CN": "两个不同钱包的资料包都说这是自己的号码，无法确认它属于谁。",
        "en": "Packs of two different wallets both claim this number, so it cannot be confirmed.",
    },
    "number.listed_advice.contacted": {
        "zh-CN": "不要回拨。请使用官方 App 里显示的号码。",
        "en": "Do not call back; use the number shown in the official app.",
    },
    "number.listed_advice.found_online": {
        "zh-CN": "不要拨打这个号码。请使用官方 App 里显示的号码。",
        "en": "Do not dial it; use the number shown in the official app.",
    },
    "number.listed": {"zh-CN": "本机资料中的官方渠道：", "en": "Listed on this kiosk as:"},
    "number.listed_but": {
        "zh-CN": "这个号码本身在本机资料中，是：",
        "en": "The number itself is listed on this kiosk as:",
    },
    "number.based_on": {"zh-CN": "依据：{urls}", "en": "Based on: {urls}"},
    "number.more_about": {"zh-CN": "详细了解：", "en": "More about: "},
    "number.unknown_advice": {
        "zh-CN": "不要回拨。请使用官方 App 里显示的号码。",
        "en": "Do not call back; use the number shown in the official app.",
    },
    "number.unknown_advice.found_online": {
        "zh-CN": "不要拨打这个号码。请使用官方 App 里显示的号码。",
        "en": "Do not dial it; use the number shown in the official app.",
    },
    "number.invalid.empty": {"zh-CN": "请先输入号码。", "en": "Type a number first."},
    "number.invalid.characters": {
        "zh-CN": "只能识别数字、空格、短横线、括号和开头的 +。",
        "en": "Only digits, spaces, dashes, brackets and a leading + can be read.",
    },
    "number.invalid.country": {
        "zh-CN": "本机不认识这个国家或地区代码（只认识 +86 中国和 +1 美国）。",
        "en": "This kiosk does not know that country code (only +86 China and +1 US).",
    },
    "number.invalid.format": {
        "zh-CN": "位数或开头不像中国大陆的号码：手机号 11 位，固定电话以 0 和区号开头，服务号码大多是 5 位。请核对后重新输入。",
        "en": "It does not look like a mainland China number: mobiles have 11 digits, landlines start with 0 and an area code, and service numbers mostly have 5 digits. Check it and try again.",
    },
    "number.pattern.international-prefix": {
        "zh-CN": "号码以 {prefix} 开头。从境外打来的电话必须显示“00”或“+”，运营商不能去掉。如果你在境外没有亲友或业务往来，这样的来电或短信多半是诈骗，哪怕后面的号码看起来像国内客服。挂断，从官方 App 里找号码，自己打回去。",
        "en": "The number starts with {prefix}. Calls from abroad must show “00” or “+”, and carriers may not remove it. If you have no contacts abroad, such a call or text is most likely a scam, however much the rest looks like a Chinese service number. Hang up, find the number in the official app and call back yourself.",
    },
    "number.pattern.international-prefix.cn": {
        "zh-CN": "号码以 {prefix} 开头，这是中国的国家代码。如果你的手机用的是中国大陆的 SIM 卡：从境外打来的电话必须显示“00”或“+”，运营商不能去掉，所以这样的来电或短信多半来自境外；如果你在境外没有亲友或业务往来，它多半是诈骗，哪怕后面的号码看起来像国内客服。挂断，从官方 App 里找号码，自己打过去。如果你的手机用的是境外的 SIM 卡：来自中国的每个来电都会显示 {prefix}，这本身说明不了真假；请看 {prefix} 后面的号码，同样不要回拨，自己拨打官方号码。",
        "en": "The number starts with {prefix}. That is China's country code. If your phone has a SIM card from mainland China: calls from abroad must show “00” or “+”, and carriers may not remove it, so such a call or text most likely comes from abroad; if you have no contacts abroad, it is most likely a scam, however much the rest looks like a Chinese service number. Hang up, find the number in the official app and call it yourself. If your phone has a SIM card from outside mainland China: every call from China shows {prefix}, which proves nothing either way; judge by the number after it, and still call the official number yourself rather than calling back.",
    },
    "number.pattern.international-96110": {
        "zh-CN": "据介绍，真正的 96110 来电显示为本地区号加 96110，不带 + 或 00。带国际前缀的“96110”不是反诈专线。",
        "en": "Reportedly, a genuine 96110 call shows your local area code plus 96110, with no + or 00. A “96110” with an international prefix is not the anti-fraud line.",
    },
    "number.pattern.searched-international": {
        "zh-CN": "这个号码带国际前缀（{prefix}），本机资料里也没有。曾有人在网上搜“客服电话”，打了一个 0086 开头的号码，被骗 1.3 万元。不要拨打，请用官方 App 里的客服入口。",
        "en": "This number has an international prefix ({prefix}) and is not on this kiosk's list. Someone who searched online for a “customer service number” called one starting 0086 and lost 13,000 yuan. Do not call it; use the customer service entry in the official app.",
    },
    "number.pattern.searched-service-number-abroad": {
        "zh-CN": "这个号码带国际前缀（{prefix}），后面却是一个客服或服务号码。这类号码在中国境内直接拨打，不加国家代码；从境外拨打要加区号（例如数字人民币的 +86 10 956196）。网上这样写的“客服电话”要当心：曾有人打了一个 0086 开头的号码，被骗 1.3 万元。不要拨打网上找到的这个写法，在中国境内请直接拨打下面列出的号码，在境外请用官方 App 里的联系方式。",
        "en": "This number has an international prefix ({prefix}) in front of a service number. Such numbers are dialled inside China without a country code, and from abroad with an area code (the e-CNY app's, for example, is +86 10 956196). Be wary of a “customer service number” written like this online: someone who called one starting 0086 lost 13,000 yuan. Do not dial it as you found it; in China dial the number listed below directly, and abroad use the contact options in the official app.",
    },
    "number.pattern.400-calling": {
        "zh-CN": "400 号码打给你要当心：大公司的 400 号码一般只接听、不外呼，来电显示也可以伪造。挂断，自己拨打官方号码核实。",
        "en": "Be wary of a 400 number calling you: big companies' 400 lines normally only take calls and do not call out, and caller ID can be faked. Hang up and call the official number yourself.",
    },
    "number.pattern.110-calling": {
        "zh-CN": "110 只接警，不往外打电话，显示 110 的来电或短信是伪造的。挂断；需要报警时自己拨打 110。",
        "en": "110 only takes calls and never calls out, so a call or text showing 110 is fake. Hang up; if you need the police, dial 110 yourself.",
    },
    "number.pattern.long-95": {
        "zh-CN": "95 开头的号码属于金融、交通、能源、物流等行业的大企业，常见的正规号码很短（95188、95017 都是 5 位）。超过 7 位的 95 号码要当心。从官方 App 里找号码，自己打回去。",
        "en": "Numbers starting 95 belong to large companies in finance, transport, energy and logistics, and common genuine ones are short (95188 and 95017 have 5 digits). Be wary of a 95 number longer than 7 digits. Find the number in the official app and call back yourself.",
    },
    "number.pattern.long-95.found_online": {
        "zh-CN": "95 开头的号码属于金融、交通、能源、物流等行业的大企业，常见的正规号码很短（95188、95017 都是 5 位）。超过 7 位的 95 号码要当心。不要拨打它，从官方 App 里找号码。",
        "en": "Numbers starting 95 belong to large companies in finance, transport, energy and logistics, and common genuine ones are short (95188 and 95017 have 5 digits). Be wary of a 95 number longer than 7 digits. Do not dial it; find the number in the official app.",
    },
    "number.pattern.1069-sms": {
        "zh-CN": "1069 开头的号码用来群发短信。说你中奖、要给你退款，或者带链接的 1069 短信都不要相信，也不要点链接。想核实，就自己打开官方 App 查看。",
        "en": "Numbers starting 1069 send bulk text messages. Do not trust a 1069 text about a prize or a refund, or one that contains a link, and do not open the link. To check, open the official app yourself.",
    },
    "number.pattern.caller-id": {
        "zh-CN": "来电显示可以伪造：挂断，自己拨打官方号码。",
        "en": "Caller ID can be faked: hang up and call the official number yourself.",
    },
    "number.pattern.caller-id.sms": {
        "zh-CN": "短信上显示的号码也可以伪造：不要回复，不要点链接，自己拨打官方号码或打开官方 App 核实。",
        "en": "The number shown on a text can be faked too: do not reply or open links; call the official number yourself or check in the official app.",
    },
    "number.pattern.answer-96110": {
        "zh-CN": "96110 是反诈预警咨询专线。接到它的来电一定要接：你或家人可能正在被骗。",
        "en": "96110 is the anti-fraud warning line. If it calls you, answer: you or a family member may be in the middle of a scam.",
    },
    "number.alternatives": {"zh-CN": "官方号码和求助电话", "en": "Official numbers, and where to ask for advice"},
    "number.alternatives_intro": {
        "zh-CN": "要联系钱包，请自己拨打下面的号码；拿不准是不是诈骗，打 96110 问一问。",
        "en": "To reach your wallet, call one of these numbers yourself. Not sure whether it is a scam? Ask 96110.",
    },
    # (end of number check section)
    # -- take it home (QR codes) ----------------------------------------------
    "key.take_home": {"zh-CN": "扫码带走", "en": "Take it home"},
    "qr.title": {"zh-CN": "扫码带走", "en": "Take it home"},
    "qr.button": {"zh-CN": "扫码带走（二维码）", "en": "Take it home (QR code)"},
    "qr.explain.tel": {
        "zh-CN": "用手机相机扫一扫，会打开拨号界面并填好号码。",
        "en": "Scan with your phone's camera; it opens the dialler with the number filled in.",
    },
    "qr.explain.web": {
        "zh-CN": "用手机相机扫一扫，会打开这个官方网址。",
        "en": "Scan with your phone's camera; it opens this official web address.",
    },
    "qr.explain.email": {
        "zh-CN": "用手机相机扫一扫，会新建一封发往这个地址的邮件。",
        "en": "Scan with your phone's camera; it starts an email to this address.",
    },
    "qr.explain.text": {
        "zh-CN": "用手机相机扫一扫，把这段说明存到手机上。",
        "en": "Scan with your phone's camera to keep these directions on your phone.",
    },
    "qr.explain.guide": {
        "zh-CN": "用手机相机扫一扫，带走一份简短摘要。",
        "en": "Scan with your phone's camera: a short summary you can keep.",
    },
    "qr.enlarge": {
        "zh-CN": "窗口太小，放不下二维码。请放大窗口，或记下下面的文字。",
        "en": "The window is too small for the QR code. Please enlarge the window, or note the text below.",
    },
    "qr.guide.head": {"zh-CN": "{wallet}：{title}", "en": "{wallet}: {title}"},
    "qr.guide.call": {"zh-CN": "电话 {number}", "en": "Call {number}"},
    "qr.guide.more": {"zh-CN": "更多见自助机", "en": "more in the kiosk"},
    "qr.text.channel": {"zh-CN": "{label}：{path}", "en": "{label}: {path}"},
    # (end of QR section)
    # -- kiosk mode, staff and idle reset ---------------------------------------
    "key.staff": {"zh-CN": "工作人员", "en": "Staff"},
    "key.quit": {"zh-CN": "退出", "en": "Quit"},
    "idle.title": {"zh-CN": "您还在吗？", "en": "Are you still there?"},
    "idle.countdown": {
        "zh-CN": "{seconds} 秒后将清除本次使用的所有内容，回到首页。按任意键或点击屏幕继续。",
        "en": "In {seconds} seconds everything from this visit will be cleared and the kiosk returns to the start. Press any key or tap to continue.",
    },
    "idle.continue": {"zh-CN": "我还在，继续", "en": "I'm still here"},
    "crash.sorry": {
        "zh-CN": "很抱歉，自助机出了点问题，正在重新开始。",
        "en": "Sorry, something went wrong. The kiosk is starting again.",
    },
    "screen.too_small": {
        "zh-CN": "窗口太小，请把窗口放大到至少 {width}×{height}。",
        "en": "This window is too small. Please make it at least {width}×{height}.",
    },
    "session.ending_soon": {
        "zh-CN": "本次服务即将达到时间上限，很快会结束。需要时请重新连接。",
        "en": "This session is about to reach its time limit and will end soon. You can connect again afterwards.",
    },
    "staff.pin_title": {"zh-CN": "工作人员：请输入 PIN", "en": "Staff: enter the PIN"},
    "staff.pin_placeholder": {"zh-CN": "PIN（数字）", "en": "PIN (digits)"},
    "staff.cancel": {"zh-CN": "取消", "en": "Cancel"},
    "staff.no_pin": {
        "zh-CN": "尚未设置工作人员 PIN（kiosk config set-pin）。",
        "en": "No staff PIN is set (kiosk config set-pin).",
    },
    "staff.unavailable": {
        "zh-CN": "工作人员入口暂不可用：配置文件有问题（见运维日志，或运行 kiosk config check）。",
        "en": "Staff access is unavailable: the configuration has a problem (see the operator log, or run kiosk config check).",
    },
    "staff.wrong": {"zh-CN": "PIN 不正确。还可以再试 {left} 次。", "en": "Wrong PIN. {left} attempt(s) left."},
    "staff.locked": {"zh-CN": "错误次数过多，已锁定 5 分钟。", "en": "Too many wrong PINs: locked for 5 minutes."},
    "staff.title": {"zh-CN": "工作人员：运行状态", "en": "Staff: kiosk status"},
    "staff.packs_loaded": {"zh-CN": "已加载 {n} 个资料包：", "en": "{n} packs loaded:"},
    "staff.notices": {"zh-CN": "需要处理：", "en": "Needs attention:"},
    "staff.back": {"zh-CN": "返回客户界面", "en": "Back to customer view"},
    "staff.restart": {"zh-CN": "重新启动", "en": "Restart kiosk"},
    "staff.exit": {"zh-CN": "退出（维护）", "en": "Exit for maintenance"},
    "home.staff_notice": {
        "zh-CN": "工作人员提示：{notice}",
        "en": "Staff notice: {notice}",
    },
    # (end of kiosk mode section)
    # -- about ----------------------------------------------------------------
    "about.intro": {
        "zh-CN": "每条联系方式都注明来源和核实日期。号码和时间可能变化，请以官方应用为准。",
        "en": "Every contact fact names its source and the date it was checked. Numbers and hours change; the official app is the final word.",
    },
    "about.pack": {"zh-CN": "{name}（{id}）版本 {version}", "en": "{name} ({id}) version {version}"},
    "about.verified": {"zh-CN": "核实日期：{first} 至 {last}", "en": "Verified between {first} and {last}"},
    "about.sources": {"zh-CN": "来源", "en": "Sources"},
    "about.unavailable": {
        "zh-CN": "有 {n} 个资料包未能加载，工作人员可查看详情。",
        "en": "{n} pack(s) could not be loaded; staff can see the details.",
    },
    "about.kiosk": {"zh-CN": "wallet-kiosk {version}", "en": "wallet-kiosk {version}"},
}


def t(key: str, locale: str, **values: object) -> str:
    """The catalogue text for `key` in `locale` (falling back to the first locale), formatted."""
    entry = CATALOG[key]
    text = entry.get(locale) or entry[LOCALES[0]]
    return text.format(**values) if values else text


def other_locale(locale: str) -> str:
    """The locale the language key switches to."""
    index = LOCALES.index(locale) if locale in LOCALES else 0
    return LOCALES[(index + 1) % len(LOCALES)]
