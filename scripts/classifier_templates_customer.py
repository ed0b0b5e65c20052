# SPDX-License-Identifier: GPL-3.0-or-later
"""Customer-intent template groups (see classifier_templates.py for the syntax)."""


def G(label, name, en=(), zh=(), domains=None):
    return {"label": label, "name": name, "en": list(en), "zh": list(zh), "domains": domains}


CUSTOMER_GROUPS = [
    # price_inquiry: asks what something costs or how it is charged; no judgement of the price.
    G("price_inquiry", "how-much", [
        "How much is {prod}?", "[So|OK so|And] how much [does|would] {prod} cost [me|us|]?",
        "What [does|would] {prod} cost?", "how much are we talking about for {prod}",
        "What's the damage for {prod}?"],
        ["{prod}多少钱？", "{prod}[大概|]要多少钱[啊|呢|]？", "那{prod}怎么卖？", "{prod}什么价位", "{prod}价格多少"]),
    G("price_inquiry", "fee-of", [
        "What's {fee}?", "How much is {fee} [exactly|roughly|]?", "Can you tell me {fee}?",
        "[I'd like to know|Could you tell me] {fee} [first|, please|]."],
        ["{fee}是多少？", "{fee}多少[钱|啊]？", "能说下{fee}吗？", "{fee}怎么算的？", "想先了解一下{fee}"]),
    G("price_inquiry", "hidden-costs", [
        "Are there any other fees on top of that?", "Is that the full price or are there extras?",
        "Anything else I'd have to pay [later|later on|]?", "Any hidden charges I should know about?"],
        ["除了这个还有别的费用吗？", "还有没有其他隐藏收费？", "这是全部费用了吗？", "后面还要额外交钱吗"]),
    G("price_inquiry", "price-of-feature", [
        "Do you charge extra for {feat}?", "Is {feat} included in the price or extra?",
        "How much more for {feat}?", "Does {feat} cost anything?"],
        ["{feat}要另外收费吗？", "{feat}包含在价格里吗？", "加{feat}要多少钱？", "{feat}收不收费"]),
    G("price_inquiry", "billing-period", [
        "Is that paid monthly or yearly?", "How does the billing work?", "When would I have to pay?",
        "Do I pay up front or every month?"],
        ["是按月付还是按年付？", "费用怎么结算？", "什么时候付钱？", "要一次性付清还是分月付"]),
    G("price_inquiry", "total-for-us", [
        "So what would the total come to for us, given that {use}?", "Roughly what would we pay per year?",
        "Can you give me a ballpark figure?", "What's the rough budget I should plan for?"],
        ["{use}，算下来一共要多少？", "一年下来大概多少钱？", "给个大概的数吧", "我得准备多少预算？"]),
    G("price_inquiry", "price-list", [
        "Can you send me the price list?", "Do you have a pricing sheet?", "Where can I see the prices?"],
        ["有价目表吗？", "能把报价单发我一下吗？", "价格在哪里能看到？", "发个报价给我看看"]),
    G("price_inquiry", "after-promo", [
        "What's the price after the first year?", "Does the price go up after the promotion?",
        "What happens to the price when the offer ends?"],
        ["第一年之后是什么价？", "优惠期过了价格会涨吗？", "活动结束以后怎么收费？"]),

    # price_objection: says the price is too high / not worth it / unaffordable; asks for nothing.
    G("price_objection", "too-expensive", [
        "That's [way|far|a bit|] too expensive.", "Too expensive [for me|for us|].",
        "{price}? That's too much.", "Hmm, that's [really|pretty|quite] pricey.", "wow thats expensive"],
        ["太贵了", "这也太贵了吧", "{price}？太贵了", "有点贵啊", "价格[有点|太|]高了", "贵死了"]),
    G("price_objection", "not-worth", [
        "I don't think {prod} is worth {price}.", "It's not worth that much to me.",
        "For what it does, the price is too high.", "I can't see it being worth the money."],
        ["我觉得{prod}不值{price}", "不值这个价", "就这些功能，这个价格太高了", "花这个钱不值得"]),
    G("price_objection", "no-budget", [
        "We just don't have the budget for this.", "That's beyond our budget this year.",
        "Money is tight right now, I can't afford it.", "I can't afford {fee} on top of everything else."],
        ["我们没这个预算", "今年预算不够", "最近手头紧，负担不起", "再加一个{fee}我承受不了"]),
    G("price_objection", "cheaper-elsewhere", [
        "{now} costs me almost nothing, {price} is a lot more.", "I pay half that now.",
        "That's double what I pay at the moment."],
        ["我现在{now}几乎不花钱，{price}多太多了", "我现在才付一半的钱", "比我现在贵一倍"]),
    G("price_objection", "fee-hurts", [
        "{fee} is what puts me off.", "Honestly, {fee} is too high.", "The problem is {fee}, it's steep."],
        ["主要是{fee}太高了", "说实话{fee}让我有点肉疼", "{fee}这么高，我接受不了"]),
    G("price_objection", "more-than-expected", [
        "That's more than I expected.", "I thought it would be much cheaper.", "That's higher than I had in mind."],
        ["比我想的贵多了", "我以为会便宜很多", "跟我心理价位差太远了"]),
    G("price_objection", "small-business", [
        "For a small shop like mine that's a lot of money.", "We're a small team, we can't spend that much.",
        "For someone like me that price makes no sense."],
        ["我们这种小店，这钱不少了", "我们小公司花不起这么多", "对我来说这个价格不现实"]),
    G("price_objection", "ripoff", [
        "That's a rip-off.", "Come on, that price is ridiculous.", "You must be joking with that price."],
        ["这不是坑人吗", "这价格太离谱了", "开玩笑吧，这么贵"]),

    # negotiation: asks for better terms (discount, waiver, free extras, payment terms, a match, a shorter contract).
    G("negotiation", "discount", [
        "Can you give me a discount?", "Any discount [available|possible|for us]?", "Is there any discount if {use}?",
        "What's the best price you can do?", "Can you do a bit better on the price?", "any chance of a discount"],
        ["能打个折吗？", "有没有折扣？", "能便宜点吗？", "最低多少能卖？", "价格还能再优惠点吗", "给个discount呗"]),
    G("negotiation", "waive", [
        "Can you waive {fee}?", "Could you drop {fee} for the first year?", "Would you take {fee} off if I sign today?"],
        ["{fee}能免吗？", "第一年{fee}能不能免掉？", "今天定的话{fee}能不能减免？", "{fee}能减免吗"]),
    G("negotiation", "throw-in", [
        "If I {buy}, will you throw in {feat} for free?", "Can you include {feat} at no extra cost?",
        "Add {feat} for free and we have a deal."],
        ["我要是{buy}，{feat}能送吗？", "{feat}能不能免费给我加上？", "送个{feat}我就考虑"]),
    G("negotiation", "match", [
        "{comp} offered me a lower price, can you match it?", "Will you match {comp}'s offer?",
        "If you can beat {comp}'s price I'll think about it."],
        ["{comp}给我的价更低，你们能跟吗？", "能不能按{comp}的价格给我？", "比{comp}便宜我就考虑"]),
    G("negotiation", "payment-terms", [
        "Can I pay in instalments?", "Could we split the payment over a few months?", "Can we pay quarterly instead of yearly?",
        "Is there a way to pay later?"],
        ["能分期付吗？", "可以分几个月付吗？", "能按季度付吗？", "能不能先用后付？"]),
    G("negotiation", "shorter-contract", [
        "Can we do a shorter contract?", "Could we start with a six-month term instead?", "What if we skip the annual commitment?"],
        ["合同能短一点吗？", "能不能先签半年？", "能不签一年吗？"]),
    G("negotiation", "meet-middle", [
        "Meet me in the middle and I'll sign.", "If you knock 10% off, we can talk.", "Make it {price} and it's a deal."],
        ["各让一步吧", "再让10%我们就谈", "{price}的话我就定了"]),
    G("negotiation", "expensive-but-ask", [
        "It's a bit expensive, is there any room on the price?", "Kind of pricey, can you lower it a little?",
        "Too much for me, can you give me a better deal?"],
        ["有点贵，价格还有空间吗？", "贵了点，能不能再降一点？", "太贵了，给我优惠一点吧"]),
    G("negotiation", "volume", [
        "If we take more, do we get a better price?", "What discount do we get for a bigger order?",
        "Is there a volume discount?"],
        ["买得多能便宜吗？", "量大有优惠吗？", "多买几个能给个什么价？"]),
    G("negotiation", "extra-bonus", [
        "What else can you offer me to make it worth it?", "Any gifts or extras if I sign up now?",
        "Can you sweeten the deal a little?"],
        ["还能送点什么吗？", "现在办有什么赠品吗？", "再给点福利呗"]),

    # product_inquiry: asks a factual question about the product, its features, terms or process.
    G("product_inquiry", "does-it-have", [
        "Does {prod} come with {feat}?", "Does it have {feat}?", "Is {feat} part of {prod}?",
        "I wanted to ask whether {prod} includes {feat}."],
        ["{prod}有{feat}吗？", "有没有{feat}？", "{feat}是包含在{prod}里的吗？", "想问下{prod}带不带{feat}"]),
    G("product_inquiry", "how-does-work", [
        "How does {feat} work?", "Can you explain how {feat} works?", "How exactly does {feat} work in practice?",
        "walk me through how {feat} works"],
        ["{feat}是怎么用的？", "{feat}具体怎么操作？", "能讲讲{feat}是怎么回事吗？", "{feat}怎么弄的"]),
    G("product_inquiry", "what-is", [
        "What is {feat}, exactly?", "What do you mean by {feat}?", "What's the difference between the plans?"],
        ["{feat}具体是什么？", "几个版本有什么区别？", "{feat}指的是什么"]),
    G("product_inquiry", "process", [
        "How long does it take to get {step} done?", "What do I need to prepare for {step}?",
        "What's the process for {step}?", "How long until it's ready?"],
        ["{step}要多长时间？", "{step}需要准备什么材料？", "{step}的流程是什么样的？", "多久能弄好？"]),
    G("product_inquiry", "spec", [
        "What are the requirements?", "Is there a limit on {feat}?", "How many people can use it?",
        "Can I change {feat} later?"],
        ["有什么条件吗？", "{feat}有上限吗？", "能几个人一起用？", "{feat}以后能改吗？"]),
    G("product_inquiry", "card-specific", [
        "Can I keep my card number?", "Does the card work abroad?", "How do I redeem the points?",
        "Will my old card still work until the new one arrives?"],
        ["卡号能保持不变吗？", "这卡境外能用吗？", "积分怎么兑换？", "新卡到之前旧卡还能用吗？"], ["card"]),
    G("product_inquiry", "crm-specific", [
        "Can each store see only its own customers?", "Does it work on Android phones?",
        "Can we import our existing customer list?", "Where is our data stored?"],
        ["每家店只能看自己的客户吗？", "安卓手机能用吗？", "现有的客户名单能导进去吗？", "数据存在哪里？"], ["crm", "software"]),
    G("product_inquiry", "insurance-specific", [
        "Does it cover pre-existing conditions?", "How are claims paid out?", "What's not covered?"],
        ["既往症保不保？", "理赔是怎么赔的？", "哪些情况不赔？"], ["insurance"]),
    G("product_inquiry", "car-specific", [
        "What's the real range in winter?", "How long does a fast charge take?", "Is the warranty transferable?"],
        ["冬天实际续航多少？", "快充要多久？", "质保能转给下一任车主吗？"], ["car"]),
    G("product_inquiry", "realestate-specific", [
        "Which school is this flat assigned to?", "When is the handover?", "Is there a parking space included?"],
        ["这套房对口哪个学校？", "什么时候交房？", "带车位吗？"], ["realestate"]),
    G("product_inquiry", "telecom-specific", [
        "How fast is the broadband really?", "Can I keep my number if I switch?", "Does the plan include roaming?"],
        ["宽带实际网速多少？", "转网号码能保留吗？", "套餐包含漫游吗？"], ["telecom"]),
    G("product_inquiry", "can-i", [
        "Can I cancel {prod} any time?", "Can I use {feat} on my phone?", "Is it possible to upgrade later?",
        "Can I try {feat} before deciding?"],
        ["{prod}可以随时取消吗？", "{feat}手机上能用吗？", "以后能升级吗？", "能先体验一下{feat}吗？"]),
    G("product_inquiry", "tell-me-about", [
        "Tell me more about {feat}.", "Could you say a bit more about {feat}?", "I'd like to know more about {feat}."],
        ["说说{feat}吧", "能详细介绍一下{feat}吗？", "我想多了解一下{feat}"]),
    G("product_inquiry", "long-context", [
        "We've got a lot going on at the moment, but one thing I do want to know is whether {feat} works the way you described.",
        "Before anything else, I need to understand how {feat} is handled, because that's been a problem for us.",
        "My colleague mentioned {feat}; how does that actually work on your side?"],
        ["我们这边事情挺多的，但我想确认一下{feat}是不是你说的那样用？",
         "先别的不说，我想搞清楚{feat}是怎么处理的，因为我们之前在这上面吃过亏",
         "我同事提到了{feat}，你们那边具体是怎么做的？"]),
    G("product_inquiry", "support", [
        "What kind of support do you offer?", "Who do I call if something goes wrong?", "Is there customer service on weekends?"],
        ["售后是怎么支持的？", "出了问题找谁？", "周末有客服吗？"]),

    # benefit_inquiry: asks what the customer gains, why it is worth having, how it helps them.
    G("benefit_inquiry", "what-do-i-gain", [
        "What do I actually get out of {prod}?", "What's in it for me?", "What would I gain from {prod}?",
        "So what's the benefit for me?"],
        ["{prod}对我有什么好处？", "我能得到什么？", "办了对我有啥好处", "这个对我有什么用"]),
    G("benefit_inquiry", "why-need", [
        "Why would I need {prod}?", "Why should I switch from {now}?", "Why would I bother upgrading?",
        "What's the point of {feat} for me?"],
        ["我为什么需要{prod}？", "为什么要把{now}换掉？", "我为啥要升级？", "{feat}对我有什么意义？"]),
    G("benefit_inquiry", "how-help", [
        "How would {prod} help me, given that {use}?", "How does this help my business?",
        "In what way would it make my life easier?", "How would {feat} help us day to day?"],
        ["{use}，{prod}能帮我什么？", "这对我的生意有什么帮助？", "能让我省什么事？", "{feat}平时能帮到我们什么？"]),
    G("benefit_inquiry", "roi", [
        "What's the return on this?", "Will it pay for itself?", "How much time or money would I save?",
        "What results can I expect?"],
        ["投入产出比怎么样？", "能回本吗？", "能帮我省多少时间或者钱？", "用了能有什么效果？"]),
    G("benefit_inquiry", "better-than-now", [
        "How is this better than {now}?", "What does it do that {now} doesn't?", "Why is it better than what I have?"],
        ["这比{now}好在哪？", "有什么是{now}做不到的？", "比我现在用的好在哪里"]),
    G("benefit_inquiry", "value-of-feature", [
        "Is {feat} really useful?", "Does {feat} make a real difference?", "Why does {feat} matter?"],
        ["{feat}真的有用吗？", "{feat}能带来实际的变化吗？", "{feat}有那么重要吗？"]),
    G("benefit_inquiry", "long-form", [
        "I've heard a lot about features, but what I really want to understand is what changes for me if I go with this.",
        "Put simply, why would someone in my position want {prod}?"],
        ["功能我听了不少，但我真正想知道的是，用了以后对我到底有什么改变？", "简单说，像我这样的人为什么要买{prod}？"]),

    # competitor_comparison: compares with another vendor or the current solution.
    G("competitor_comparison", "how-different", [
        "How are you different from {comp}?", "What makes you better than {comp}?", "Why you and not {comp}?",
        "How do you compare with {comp}?"],
        ["你们跟{comp}有什么区别？", "你们比{comp}好在哪？", "为什么选你们不选{comp}？", "和{comp}比怎么样"]),
    G("competitor_comparison", "they-offer", [
        "{comp} offers {feat} too.", "{comp} already gives me {feat}.", "{comp} has a better deal on {feat}."],
        ["{comp}也有{feat}", "{comp}已经给我{feat}了", "{comp}的{feat}条件更好"]),
    G("competitor_comparison", "looking-at-others", [
        "We're also talking to {comp}.", "I'm comparing you with {comp} right now.", "{comp} came to see us last week."],
        ["我们也在跟{comp}谈", "我在对比你们和{comp}", "{comp}上周也来找过我们"]),
    G("competitor_comparison", "same-thing", [
        "Isn't this the same as {comp}?", "Everybody offers this, don't they?", "What's special about yours, they're all alike."],
        ["这跟{comp}不是一样吗？", "这个谁家都有吧？", "你们的有什么特别的，不都差不多吗"]),
    G("competitor_comparison", "cheaper-comp", [
        "{comp} is cheaper.", "{comp} quoted me less.", "{comp} charges less for the same thing."],
        ["{comp}比你们便宜", "{comp}报价更低", "同样的东西{comp}收得更少"]),
    G("competitor_comparison", "friend-uses", [
        "A friend of mine uses {comp} and loves it.", "My neighbour went with {comp}.", "People in my industry mostly use {comp}."],
        ["我朋友用的{comp}，说挺好", "我邻居选的{comp}", "我们这行大多用{comp}"]),

    # case_request: asks for proof: customers like them, references, case studies, numbers.
    G("case_request", "customers-like-me", [
        "Do you have customers like me?", "Who else [like us|in my situation] uses {prod}?",
        "Has anyone in my situation bought {prod}?"],
        ["有跟我情况差不多的客户吗？", "还有谁在用{prod}？", "有像我这样的人买过吗？"]),
    G("case_request", "reference", [
        "Can I talk to one of your customers?", "Could you give me a reference?", "Is there someone I could call who uses it?"],
        ["能介绍个老客户跟我聊聊吗？", "有没有客户可以给我做个参考？", "能不能让我找个用过的人问问？"]),
    G("case_request", "proof", [
        "Do you have any proof that it works?", "Show me some numbers.", "Any data to back that up?",
        "Can you show me a real example?"],
        ["有什么证据证明有效吗？", "给我看看数据", "有数据支持吗？", "能举个真实的例子吗？"]),
    G("case_request", "case-study", [
        "Do you have a case study?", "Any success stories you can share?", "Is there a case in {use_ctx}?".replace("{use_ctx}", "my industry")],
        ["有案例吗？", "有成功案例可以分享吗？", "我们行业有案例吗？"]),
    G("case_request", "reviews", [
        "What do other customers say about it?", "Are there reviews I can read?", "How have other buyers found it?"],
        ["其他客户评价怎么样？", "有评价可以看吗？", "买过的人反馈如何？"]),

    # hesitation: unsure, worried, wants to think or consult; not a no.
    G("hesitation", "think", [
        "Let me think about it.", "I need some time to think it over.", "I'll have to sleep on it.",
        "I'm not sure yet, give me a few days."],
        ["我再考虑考虑", "让我想想", "我得再琢磨一下", "给我几天时间想想"]),
    G("hesitation", "ask-someone", [
        "I need to talk to {who} first.", "Let me check with {who}.", "{who} has to agree before I decide."],
        ["我得先跟{who}商量一下", "我问问{who}再说", "这事得{who}同意"]),
    G("hesitation", "worried", [
        "I'm worried it will be complicated.", "I'm a bit nervous about switching.", "What if it doesn't work for us?",
        "I'm afraid {who} won't like it."],
        ["我担心会很麻烦", "换的话我有点顾虑", "万一不适合我们怎么办？", "我怕{who}不喜欢"]),
    G("hesitation", "not-sure-need", [
        "I'm not sure I really need it.", "I don't know if it's right for us.", "I'm on the fence."],
        ["我不确定我需不需要", "不知道适不适合我们", "我还在犹豫"]),
    G("hesitation", "maybe", [
        "Maybe, I don't know.", "Hmm, it sounds okay but I'm not convinced.", "Possibly, but I have doubts."],
        ["也许吧，不好说", "听着还行，但我还是拿不准", "可能吧，我还有点疑虑"]),
    G("hesitation", "risk", [
        "It's a big decision for us.", "I don't want to rush into this.", "Changing {now} feels risky."],
        ["这对我们来说是个大决定", "我不想太仓促", "换掉{now}感觉有风险"]),

    # soft_rejection: a polite no or not now.
    G("soft_rejection", "not-interested", [
        "I'm not interested, thanks.", "Thanks, but it's not for me.", "We'll pass.", "no thanks"],
        ["不用了，谢谢", "我不感兴趣", "算了吧", "不需要，谢谢"]),
    G("soft_rejection", "happy-with-current", [
        "I'm happy with {now}.", "We're fine with {now} for now.", "{now} does the job, thanks."],
        ["我用{now}挺好的", "我们现在用{now}就够了", "{now}够用了，谢谢"]),
    G("soft_rejection", "not-now", [
        "Not this year.", "Maybe some other time.", "Let's revisit it next year.", "Now's not the right time for us."],
        ["今年就不考虑了", "以后再说吧", "明年再看吧", "现在不是时候"]),
    G("soft_rejection", "call-us-later", [
        "Don't call me again about this.", "Please take me off your list.", "We've decided not to go ahead."],
        ["以后别打给我了", "把我从名单里删了吧", "我们决定不做了"]),
    G("soft_rejection", "went-elsewhere", [
        "We've already signed with {comp}.", "We went with someone else.", "I already bought one elsewhere."],
        ["我们已经和{comp}签了", "我们已经选了别家", "我已经在别处买了"]),
    G("soft_rejection", "priorities", [
        "It's not a priority for us.", "We have other things to deal with first.", "It's just not on our radar."],
        ["这不是我们的重点", "我们有别的事要先处理", "暂时不在我们计划里"]),

    # positive_feedback: likes or agrees with what was said; interest; not yet a commitment.
    G("positive_feedback", "sounds-good", [
        "That sounds good.", "Okay, that makes sense.", "Sounds great.", "I like that.", "nice, I like it"],
        ["听起来不错", "有道理", "挺好的", "这个我喜欢", "不错不错"]),
    G("positive_feedback", "interested", [
        "That sounds interesting.", "I'm interested.", "Now you've got my attention.", "Interesting, go on.",
        "I'd be interested in that."],
        ["听起来挺有意思的", "我挺感兴趣的", "这个有点意思", "有意思，你继续说", "我对这个感兴趣"]),
    G("positive_feedback", "feature-liked", [
        "{feat} is exactly what I need.", "I really like {feat}.", "{feat} would be a big help.", "Oh, {feat} is nice."],
        ["{feat}正是我需要的", "{feat}我挺喜欢的", "{feat}对我帮助很大", "哦，{feat}不错"]),
    G("positive_feedback", "solves-problem", [
        "That would solve my biggest headache.", "That's exactly our problem.", "That would save us a lot of trouble."],
        ["这正好解决了我最头疼的事", "这正是我们的问题", "这能省我们好多麻烦"]),
    G("positive_feedback", "better-than-thought", [
        "That's better than I expected.", "Oh, I didn't know that, good.", "That's reassuring."],
        ["比我想的好", "哦，这个我之前不知道，挺好", "这样我就放心了"]),
    G("positive_feedback", "others-would-like", [
        "{who} would love that.", "My team would like that.", "I can see that working for us."],
        ["{who}肯定喜欢", "我们团队会喜欢的", "我觉得这对我们行得通"]),
    G("positive_feedback", "agree-point", [
        "You're right about that.", "Good point.", "Fair enough, I agree."],
        ["你说得对", "这点说得好", "好吧，我同意"]),

    # final_confirmation: commits to buy or to the concrete next step; asks how to complete it.
    G("final_confirmation", "deal", [
        "OK, let's do it.", "Deal.", "Alright, I'll take it.", "You've convinced me, let's go ahead.", "ok lets do it"],
        ["行，就这么定了", "成交", "好，我要了", "你说服我了，办吧", "OK，就这个吧"]),
    G("final_confirmation", "buy", [
        "I'd like to {buy}.", "Let's {buy}.", "Go ahead and {buy_ctx}.".replace("{buy_ctx}", "set it up"),
        "Yes, I want to {buy}."],
        ["我想{buy}", "那就{buy}吧", "给我弄吧", "好，我要{buy}"]),
    G("final_confirmation", "how-to-sign", [
        "Great, how do I sign up?", "OK, what do I need to do to get started?", "Where do I sign?",
        "Fine, how do we proceed?"],
        ["好的，那怎么办理？", "行，要怎么开始？", "在哪签字？", "那接下来怎么弄？"]),
    G("final_confirmation", "send-contract", [
        "Send me the contract.", "Please send the paperwork today.", "Email me the agreement and I'll sign it."],
        ["把合同发我吧", "今天把资料发过来", "协议发我邮箱，我签"]),
    G("final_confirmation", "book-step", [
        "Book {step} for next week.", "Let's schedule {step}.", "OK, set up {step} for Monday."],
        ["下周安排{step}吧", "那就约{step}", "好，周一安排{step}"]),
    G("final_confirmation", "agree-trial", [
        "Fine, let's start with a trial.", "OK, we'll try it for a month.", "Sure, let's do the pilot."],
        ["好，先试用一下", "行，先试一个月", "可以，先做个试点"]),

    # time_pressure: the customer has no time now, or a deadline presses.
    G("time_pressure", "busy-now", [
        "I'm busy right now.", "I don't have much time.", "Sorry, I'm in a rush.", "im really busy atm"],
        ["我现在很忙", "我时间不多", "不好意思，我在赶时间", "正忙着呢"]),
    G("time_pressure", "minutes", [
        "I only have five minutes.", "You've got two minutes.", "Make it quick, please.", "Keep it short."],
        ["我只有五分钟", "给你两分钟", "快点说吧", "长话短说"]),
    G("time_pressure", "meeting", [
        "I have a meeting in ten minutes.", "I'm about to go into a meeting.", "I'm driving, can we be quick?",
        "I'm at the airport, boarding soon."],
        ["我十分钟后有个会", "我马上要开会了", "我在开车，说快点", "我在机场，快登机了"]),
    G("time_pressure", "call-later", [
        "Can you call me back later?", "Just send me an email, I'm swamped.", "Not a good time, call tomorrow."],
        ["你晚点再打给我吧", "发我邮件吧，我忙死了", "现在不方便，明天再打"]),
    G("time_pressure", "deadline", [
        "We need this up and running by next month.", "It has to be done before the new store opens.",
        "I need an answer by Friday.", "We have to decide before the end of the quarter."],
        ["我们下个月之前必须用上", "新店开业前必须弄好", "周五之前要给我答复", "季度末之前必须定下来"]),

    # filler: a short back-channel that keeps the other side talking.
    G("filler", "mm", ["Mm.", "Mm-hmm.", "Uh-huh.", "Hmm.", "Mhm"], ["嗯", "嗯嗯", "嗯哼", "哦", "唔"]),
    G("filler", "ok", ["OK.", "Okay.", "Right.", "Sure.", "I see."], ["好", "行", "好的", "是", "明白"]),
    G("filler", "go-on", ["Go on.", "And?", "Then?", "Continue.", "Yeah, and?"], ["然后呢", "继续", "你说", "接着说", "还有呢"]),
    G("filler", "yeah", ["Yeah.", "Yes.", "Yep.", "Got it.", "Right, right."], ["对", "是的", "对对", "嗯，是", "知道了"]),

    # greeting: hello and opening pleasantries.
    G("greeting", "hello", ["Hello.", "Hi there.", "Hello, who is this?", "Hi, how can I help?", "hey"],
        ["你好", "喂，你好", "您好，哪位？", "你好，有什么事吗？", "哈喽"]),
    G("greeting", "time-of-day", ["Good morning.", "Good afternoon, come in.", "Evening! Thanks for coming."],
        ["早上好", "下午好，请进", "晚上好，谢谢你过来"]),
    G("greeting", "nice-to-meet", ["Nice to meet you.", "Pleased to meet you, I'm the owner.", "Hi, good to finally meet you."],
        ["很高兴认识你", "你好，我是老板", "终于见面了，你好"]),
    G("greeting", "you-called", ["Hi, you called me earlier?", "Hello, you're the one from {comp_ctx}?".replace("{comp_ctx}", "the bank"),
                                 "Hi, I got your message."],
        ["你好，你之前给我打过电话？", "你好，你是银行那边的吧？", "你好，我收到你的消息了"]),

    # unclear: the customer did not understand, asks to repeat, or says something that is no intent above.
    G("unclear", "did-not-get", ["Sorry, what?", "I didn't catch that.", "Can you say that again?", "Huh?", "what do you mean"],
        ["啊？", "没听清", "你再说一遍？", "什么意思？", "你说啥"]),
    G("unclear", "confused", ["I'm confused.", "I don't follow.", "You lost me there.", "That went over my head."],
        ["我有点懵", "没太听懂", "你把我绕晕了", "听不明白"]),
    G("unclear", "which-one", ["Which one do you mean?", "Wait, what are we talking about?", "Sorry, which product is this?"],
        ["你说的是哪个？", "等等，我们在说什么？", "不好意思，这是哪个产品？"]),
    G("unclear", "off-topic", ["Is it going to rain today?", "Where did you park?", "Did you see the game last night?",
                               "My dog is barking, hold on."],
        ["今天会下雨吗？", "你车停哪了？", "昨晚的球赛你看了吗？", "我家狗在叫，等一下"]),
    G("unclear", "jargon", ["What does that term mean?", "Could you explain that in plain words?", "Too much jargon for me."],
        ["这个词是什么意思？", "能说得通俗点吗？", "专业名词太多了"]),
    G("unclear", "wrong-person", ["I think you have the wrong person.", "Who gave you my number?", "Is this about my account?"],
        ["你是不是打错了？", "谁给你我电话的？", "这是关于我账户的事吗？"]),
]

# Second batch: plainer, blunter and longer phrasings, mixed Chinese and English.
CUSTOMER_GROUPS += [
    G("price_inquiry", "blunt-price", ["Price?", "What's the price", "ok and the price?", "how much then", "Cost?"],
        ["价格呢？", "多少钱啊", "那价钱呢", "啥价", "怎么收费的"]),
    G("price_inquiry", "polite-price", [
        "Would you mind telling me what {prod} would cost for someone like me?",
        "If it's not too much trouble, could you walk me through the pricing?",
        "I'd appreciate a rough idea of the cost before we go on."],
        ["方便的话能跟我说一下{prod}的价格吗？", "麻烦您给我讲讲收费方式", "在继续之前，我想先大概了解一下费用"]),
    G("price_inquiry", "mixed-price", ["{prod}的price是多少？", "这个plan一个月多少钱", "fee怎么算的？"],
        ["{prod}的price是多少？", "这个plan一个月多少钱", "fee怎么算的？", "年费大概多少，有个range吗"]),
    G("price_objection", "blunt-objection", ["Nope, too expensive.", "Way too much.", "That price is crazy.", "Not at that price."],
        ["太贵，不行", "这价格不行", "贵得离谱", "这个价我不要"]),
    G("price_objection", "long-objection", [
        "I understand it has a lot of features, but {price} is simply more than we can justify right now.",
        "Look, I like {prod}, but when I add up {fee} and everything else, it's just too much for us.",
        "We're a small outfit and honestly that kind of money would hurt."],
        ["我知道功能挺多的，但是{price}对我们来说实在太多了", "说实话我挺喜欢{prod}的，但{fee}加上其他的，真的太贵了",
         "我们就是个小本生意，这个钱花下去真的心疼"]),
    G("price_objection", "compared-to-value", ["For that money I'd expect a lot more.", "It's not worth {price}.",
                                              "I'd pay maybe half of that, not more."],
        ["这个钱能买到更多东西了", "{price}不值", "这个价格最多值一半"]),
    G("negotiation", "blunt-ask", ["Cheaper?", "Discount?", "Can you do it cheaper", "Lower it and we talk.", "what's your best price"],
        ["便宜点", "打个折呗", "能再少点吗", "给个底价", "最低价多少"]),
    G("negotiation", "conditional", [
        "If I {buy} today, what can you do on the price?", "If I bring two friends, do we get a group rate?",
        "If we sign for three years, will you lower {fee}?"],
        ["如果我今天{buy}，价格上能给多少优惠？", "我带两个朋友一起办，有团购价吗？", "签三年的话{fee}能降吗？"]),
    G("negotiation", "long-ask", [
        "We're quite keen, but we'd need a better deal on {fee} before we can commit, is there anything you can do?",
        "I've got the budget approved for less than your quote, can we find something in between?"],
        ["我们挺想合作的，但{fee}这块得再优惠点我们才能定，你看能不能想想办法？", "我批下来的预算比你报价低一些，能不能取个中间价？"]),
    G("negotiation", "mixed-ask", ["能给个discount吗", "{fee}能不能waive掉", "有没有promotion价"],
        ["能给个discount吗", "{fee}能不能waive掉", "有没有promotion价", "给个best price吧"]),
    G("product_inquiry", "plain-questions", [
        "How does it work?", "What does it include?", "What exactly do I get with {prod}?", "How do I use it?",
        "What's included in {prod}?", "And how does that part work?"],
        ["这个怎么用？", "包括哪些内容？", "{prod}具体包含什么？", "这个是怎么运作的？", "具体有哪些服务？", "那这个部分怎么弄"]),
    G("product_inquiry", "mixed-feature", ["这个{feat}支持手机吗", "有没有app可以用", "数据能export吗"],
        ["这个{feat}支持手机吗", "有没有app可以用", "数据能export吗", "能不能跟微信connect", "这个有online版本吗"]),
    G("product_inquiry", "conditions", [
        "Are there any conditions for {feat}?", "Do I qualify for {prod}?", "Who is eligible?", "What documents do you need from me?"],
        ["{feat}有什么条件吗？", "我符合办{prod}的条件吗？", "什么人可以办？", "需要我提供什么资料？"]),
    G("product_inquiry", "how-long", ["How long is the contract?", "How long does {step} take?", "When would it start?"],
        ["合同期多长？", "{step}要多久？", "什么时候能开始？"]),
    G("product_inquiry", "difference-options", [
        "What's the difference between the basic and the premium option?", "Which version has {feat}?",
        "Can you explain the options you have?"],
        ["基础版和高级版有什么区别？", "哪个版本有{feat}？", "你们都有哪些方案，能介绍下吗？"]),
    G("benefit_inquiry", "blunt-why", ["Why should I care?", "So what?", "What's the point?", "Why bother?"],
        ["那又怎样？", "有啥意义", "我为啥要在乎这个", "图啥呢"]),
    G("benefit_inquiry", "concrete-gain", [
        "What would actually change for {who} if we did this?", "Will it really save me money in the end?",
        "Would it make my work any easier?", "How would I notice the difference day to day?"],
        ["用了以后{who}那边会有什么变化？", "最后真的能帮我省钱吗？", "能让我工作轻松点吗？", "平时用起来我能感觉到什么不同？"]),
    G("benefit_inquiry", "mixed-benefit", ["这个对我有什么benefit", "ROI怎么样", "有什么value"],
        ["这个对我有什么benefit", "ROI怎么样", "对我们有什么value", "upgrade了有什么好处"]),
    G("positive_feedback", "interest-more", [
        "Oh, I'm actually interested in this.", "This is more interesting than I thought.", "Sounds promising.",
        "Okay, now I'm curious.", "Hm, I could be interested."],
        ["诶，这个我还真有兴趣", "比我想的有意思", "听着挺有前景的", "好，我有点好奇了", "嗯，我可能会感兴趣"]),
    G("positive_feedback", "enthusiastic", ["Wow, that's great!", "Love it.", "That's fantastic.", "Brilliant."],
        ["哇，太好了！", "太棒了", "这个好", "牛啊"]),
    G("positive_feedback", "mixed-positive", ["这个feature不错", "nice，挺好的", "这个idea我喜欢"],
        ["这个feature不错", "nice，挺好的", "这个idea我喜欢", "听起来很OK"]),
    G("positive_feedback", "reassured", ["That answers my question, thanks.", "Good, that was my main worry.",
                                         "OK, that clears it up nicely."],
        ["这就回答了我的问题，谢谢", "好，这正是我最担心的", "好的，这样就清楚了"]),
    G("time_pressure", "blunt-busy", ["Busy.", "No time, sorry.", "Not now, I'm busy.", "Quickly please."],
        ["忙着呢", "没空", "现在没时间", "快说"]),
    G("time_pressure", "long-busy", [
        "I'd love to hear more, but I've got customers waiting and really can't talk now.",
        "Sorry, I'm in the middle of something, can you keep it to two minutes?",
        "I've got a flight to catch, so just the essentials please."],
        ["我也想多听听，但是店里有客人在等，现在真没法聊", "不好意思我手上正忙着，你两分钟说完行吗？", "我要赶飞机，你就说最重要的"]),
    G("time_pressure", "mixed-busy", ["我在meeting，晚点聊", "我很busy，你快点", "等下有个call"],
        ["我在meeting，晚点聊", "我很busy，你快点", "等下有个call", "今天schedule很满"]),
    G("hesitation", "long-hesitation", [
        "It does sound useful, but I've been burned before by things like this, so I want to be careful.",
        "I'm interested in principle, I just don't know if now is the right moment for us.",
        "Part of me likes it, part of me thinks we'll never use half of it."],
        ["听着是有用，但我以前被类似的东西坑过，所以得慎重", "原则上我有兴趣，就是不知道现在是不是合适的时机", "一方面觉得挺好，一方面又怕买了用不上"]),
    G("hesitation", "mixed-hesitation", ["我还要再think一下", "这个我不太sure", "让我consider一下"],
        ["我还要再think一下", "这个我不太sure", "让我consider一下", "我有点concern"]),
    G("soft_rejection", "blunt-no", ["No.", "Not interested.", "Nah.", "We don't need it."],
        ["不要", "不需要", "不了", "没兴趣"]),
    G("soft_rejection", "long-no", [
        "I appreciate you taking the time, but we've decided to stay with what we have for now.",
        "Thanks for explaining everything, but it's really not something we're going to do this year."],
        ["谢谢你花时间介绍，不过我们决定还是先用现在的", "谢谢你讲了这么多，但今年我们确实不打算做这个"]),
    G("case_request", "mixed-case", ["有没有case可以看看", "能给个reference吗", "有success story吗"],
        ["有没有case可以看看", "能给个reference吗", "有success story吗", "有没有real data"]),
    G("case_request", "same-industry", [
        "Has anyone in {use_ind} used this?".replace("{use_ind}", "my line of work"),
        "Which companies like ours are already on it?", "Do you have clients in our city?"],
        ["我们这个行业有人用吗？", "有哪些跟我们类似的公司在用？", "本地有客户吗？"]),
    G("competitor_comparison", "mixed-comp", ["你们比{comp}强在哪", "{comp}的方案更cheap", "跟{comp}比有什么优势"],
        ["你们比{comp}强在哪", "{comp}的方案更cheap", "跟{comp}比有什么优势", "{comp}也在pitch我们"]),
    G("competitor_comparison", "long-comp", [
        "To be fair, {comp} showed us something very similar last month and their offer included {feat}.",
        "I've been with {comp} for years; give me a reason to change."],
        ["说句公道话，{comp}上个月给我们演示的东西差不多，而且还带{feat}", "我用{comp}好多年了，给我一个换的理由"]),
    G("final_confirmation", "mixed-confirm", ["OK，就这个了", "可以，deal", "行，帮我办一下"],
        ["OK，就这个了", "可以，deal", "行，帮我办一下", "好，go ahead吧"]),
    G("final_confirmation", "long-confirm", [
        "Alright, you've answered everything I needed, let's go ahead and {buy}.",
        "Okay, I've talked it over with {who} and we're ready to {buy}."],
        ["好吧，我想问的你都回答了，那就{buy}吧", "我跟{who}商量过了，我们决定{buy}"]),
    G("unclear", "mixed-unclear", ["你说的那个term是什么意思", "sorry没听懂", "what？你说什么"],
        ["你说的那个term是什么意思", "sorry没听懂", "what？你说什么", "我没get到"]),
    G("unclear", "random", ["Is this about my parcel?", "Can you hold on, my kid is crying.", "Who are you again?"],
        ["这是快递的事吗？", "等一下，孩子在哭", "你是哪位来着？"]),
    G("filler", "mixed-filler", ["ok", "okk", "嗯ok", "yes yes"], ["ok", "嗯嗯好", "嗯ok", "好哒", "收到"]),
    G("greeting", "mixed-greeting", ["hi，你好", "hello，请问你是？", "Hi!"], ["hi，你好", "hello，请问你是？", "哈喽你好", "嗨，早"]),
]

# Third batch: the shapes real questions and replies take (follow-ups, "and ...?", "what about ...",
# statements with a question tag), across all domains.
CUSTOMER_GROUPS += [
    G("product_inquiry", "what-about", ["What about {feat}?", "And {feat}?", "How about {feat}, is that included?",
                                         "what about {feat} then"],
        ["那{feat}呢？", "{feat}怎么样？", "{feat}这块是怎么安排的？", "还有{feat}呢"]),
    G("product_inquiry", "is-it-true", ["Is it true that {prod} has {feat}?", "I heard {feat} is only for new customers, right?",
                                         "So {feat} works straight away?"],
        ["听说{prod}有{feat}，是真的吗？", "{feat}是不是只有新客户才有？", "{feat}是马上就能用吗？"]),
    G("product_inquiry", "when-where", ["Where do I go for {step}?", "When would {step} happen?", "Who handles {step}?",
                                        "Do I need to be there for {step}?"],
        ["{step}要去哪里办？", "{step}什么时候安排？", "{step}是谁负责？", "{step}需要我本人到场吗？"]),
    G("product_inquiry", "change-cancel", ["What happens if I want to cancel?", "Can I change {feat} later on?",
                                           "What if it doesn't suit us after a month?"],
        ["如果我想取消怎么办？", "{feat}以后可以改吗？", "用了一个月觉得不合适怎么办？"]),
    G("product_inquiry", "explain-detail", ["Can you explain {feat} in a bit more detail?", "I don't fully get how {feat} works yet.",
                                            "Could you show me {feat}?"],
        ["能再具体讲讲{feat}吗？", "{feat}我还没完全搞懂是怎么回事", "能给我演示一下{feat}吗？"]),
    G("product_inquiry", "numbers", ["How many {feat_n} do I get?".replace("{feat_n}", "accounts"), "How big is {feat}?",
                                     "What's the maximum for {feat}?"],
        ["能给几个账号？", "{feat}有多大？", "{feat}最多能到多少？"]),
    G("benefit_inquiry", "why-worth", ["Why is {prod} worth it?", "What makes {prod} worth the money?",
                                       "Convince me it's worth it."],
        ["{prod}为什么值这个钱？", "凭什么说{prod}值得买？", "说服我这个值得"]),
    G("benefit_inquiry", "for-my-situation", ["{use}, so what would {prod} do for me?",
                                              "Given that {use}, how would this help?"],
        ["{use}，{prod}对我有什么帮助？", "像我这种{use}的，用这个有什么好处？"]),
    G("benefit_inquiry", "outcome", ["What results do people usually see?", "What would be different in three months?",
                                     "What will I get that I don't have today?"],
        ["一般用了会有什么效果？", "三个月后会有什么不一样？", "有什么是我现在没有、用了才有的？"]),
    G("competitor_comparison", "already-have", ["We already have {comp}, why would we need you?",
                                                "{comp} does all that already.", "I'm already with {comp}."],
        ["我们已经在用{comp}了，还要你们干嘛？", "{comp}这些都能做", "我已经在{comp}那里办了"]),
    G("competitor_comparison", "heard-better", ["I've heard {comp} is better at {feat}.", "People say {comp} has better {feat}.",
                                                "{comp}'s {feat} looked nicer to me."],
        ["我听说{comp}的{feat}更好", "大家都说{comp}的{feat}更强", "我觉得{comp}的{feat}看着更好"]),
    G("competitor_comparison", "which-better", ["Which is better, yours or {comp}'s?", "Honestly, should I pick you or {comp}?",
                                                "If you were me, would you go with {comp} or you?"],
        ["你们和{comp}哪个好？", "说实话，我该选你们还是{comp}？", "换你是我，你选{comp}还是你们？"]),
    G("case_request", "show-me", ["Show me someone who's done this.", "Who's actually using {prod}?",
                                  "Name one customer who's happy with it."],
        ["给我看看谁用过", "到底有谁在用{prod}？", "说一个用得满意的客户"]),
    G("case_request", "numbers-from-others", ["What did other customers get out of it, in numbers?",
                                              "Do you have figures from people who switched?"],
        ["别的客户用了以后具体数据怎么样？", "有换过来的客户的数据吗？"]),
    G("hesitation", "not-sure-timing", ["I'm not sure it's the right time.", "Maybe, but not sure about the timing.",
                                        "I don't know, it's a lot to take in."],
        ["不知道现在是不是时候", "也许吧，时间上我不太确定", "我不知道，信息有点多"]),
    G("hesitation", "need-info", ["I'd have to look at the numbers first.", "Let me read the contract properly before I decide.",
                                  "I want to compare a few options first."],
        ["我得先算算账", "合同我得先仔细看看再说", "我想先多比较几家"]),
    G("soft_rejection", "polite-later", ["Thanks, but maybe next time.", "I'll keep it in mind, but not now.",
                                         "Send me something by email and I'll look when I can."],
        ["谢谢，下次吧", "我记住了，但现在不用", "发我邮件吧，有空再看"]),
    G("soft_rejection", "dont-need", ["I don't really need {prod}.", "We don't need {feat}.", "Honestly, it's not for people like me."],
        ["我其实用不着{prod}", "我们不需要{feat}", "说实话这不适合我这样的人"]),
    G("positive_feedback", "good-to-know", ["Good to know.", "Oh nice, that's useful.", "That's good news.", "Cool."],
        ["好的，知道了，这个挺好", "哦不错，这个有用", "这是个好消息", "挺酷的"]),
    G("positive_feedback", "like-the-part", ["I like the part about {feat}.", "The {feat} part sounds really good.",
                                            "That {feat} thing is clever."],
        ["{feat}那部分我挺喜欢", "{feat}这点听着真不错", "{feat}这个设计挺聪明"]),
    G("time_pressure", "wrap-up", ["Can we wrap this up?", "Let's finish quickly, I have to go.", "Two more minutes, then I'm off."],
        ["能快点结束吗？", "我们快点说完，我得走了", "再给你两分钟，我就要走了"]),
    G("time_pressure", "later-busy", ["Not a good time, I'm with a customer.", "I'm at work, can you call after six?",
                                      "I'm in class right now."],
        ["现在不方便，我在接待客户", "我在上班，六点以后再打", "我正在上课"]),
    G("final_confirmation", "yes-lets", ["Yes, let's go with {prod}.", "OK, I'm convinced, {buy_ok}.".replace("{buy_ok}", "sign me up"),
                                         "Right, we'll take it, what's next?"],
        ["好，就选{prod}", "行，我被说服了，办吧", "好，我们要了，下一步呢？"]),
    G("final_confirmation", "payment-how", ["Fine, how do I pay?", "OK, can I pay by card now?", "Where do I transfer the deposit?"],
        ["行，怎么付款？", "好，现在可以刷卡吗？", "定金转到哪里？"]),
    G("unclear", "half-sentence", ["So the... wait.", "Hmm, the thing you said before, about the, um...", "Sorry, I was distracted."],
        ["那个……等等", "你之前说的那个，那个什么来着", "不好意思，我刚走神了"]),
    G("unclear", "what-was-that", ["Sorry, can you repeat the last part?", "Which part are you talking about now?",
                                   "I'm not sure what you're asking."],
        ["不好意思，最后那句能再说一遍吗？", "你现在说的是哪部分？", "我不太明白你在问什么"]),
    G("greeting", "phone-open", ["Yes, hello?", "Hello, speaking.", "Hi, who's calling?"],
        ["喂？", "喂，我是", "你好，请问哪位"]),
    G("filler", "thinking", ["Hmm, okay.", "Right, okay.", "Oh, okay.", "Ah, I see."], ["嗯，好", "哦，这样", "啊，明白了", "噢噢"]),
]

# Fourth batch: longer turns that carry context and one intent, and terse chat-style ones.
CUSTOMER_GROUPS += [
    G("price_inquiry", "context-then-price", [
        "We're thinking of {buy_ctx} for the whole team, so before anything else, what would that cost us?".replace("{buy_ctx}", "getting this"),
        "My neighbour mentioned {prod} the other day; what are you charging for it these days?",
        "Just so I can plan, what's {fee} going to be next year?"],
        ["我们在考虑全员都用，先问一下大概要多少钱？", "邻居前两天提到{prod}，现在你们怎么收费？", "我想规划一下，明年{fee}会是多少？"]),
    G("price_inquiry", "chat-price", ["price pls", "how much $", "cost for 2?", "quote?"],
        ["多少米", "价格发我", "两个人多少", "报个价"]),
    G("price_objection", "context-objection", [
        "We did the maths last night and, honestly, {price} is more than this is worth to us.",
        "I showed the quote to {who} and they said it's far too expensive.",
        "After everything else we pay this year, {fee} is just too much."],
        ["我们昨晚算了一下，说实话{price}超出了它对我们的价值", "我把报价给{who}看了，说太贵了", "今年各种开销已经很多了，{fee}实在太高"]),
    G("price_objection", "chat-objection", ["too $$$", "expensive af", "lol that price", "nah too pricey"],
        ["贵", "太坑了", "这价抢钱呢", "贵哭了"]),
    G("negotiation", "context-negotiation", [
        "We're ready to move, but only if you can bring {fee} down a bit; what's possible?",
        "{who} says we should only sign if there's a discount for the first year.",
        "If you can add {feat} for free, I think we can make it work."],
        ["我们是想做的，但{fee}得降一点，你看能到多少？", "{who}说第一年有折扣才签", "如果能免费加上{feat}，我觉得可以谈"]),
    G("negotiation", "chat-negotiation", ["discount?", "any promo code", "free shipping?", "can u do 10% off"],
        ["有券吗", "包邮吗", "能抹个零吗", "打个九折呗"]),
    G("product_inquiry", "context-product", [
        "{use}, so I need to know: does {prod} handle {feat} properly?",
        "The last one we had was a mess with {feat}; how does yours do it?",
        "{who} asked me whether {feat} is included, and I didn't know what to say."],
        ["{use}，所以我得知道{prod}的{feat}靠不靠谱？", "我们之前那个的{feat}一团糟，你们这个是怎么做的？", "{who}问我{feat}包不包含，我都答不上来"]),
    G("product_inquiry", "chat-product", ["does it have {feat}", "{feat} included?", "works on iphone?", "any app?"],
        ["有{feat}不", "带{feat}吗", "苹果手机能用不", "有app没"]),
    G("benefit_inquiry", "context-benefit", [
        "{use}, and {now} has worked fine so far, so what would I really gain?",
        "I'm trying to explain to {who} why we'd need this; what's the main benefit in plain words?"],
        ["{use}，{now}一直也还行，那我换了到底能多得到什么？", "我得跟{who}解释为什么需要这个，简单说最大的好处是什么？"]),
    G("competitor_comparison", "context-comp", [
        "We met {comp} on Monday and they promised {feat} as well, so what sets you apart?",
        "I've been a {comp} customer for years and never had a problem."],
        ["周一我们见了{comp}，他们也说有{feat}，你们有啥不一样的？", "我在{comp}那儿好多年了，一直没出过问题"]),
    G("case_request", "context-case", [
        "Before I take this to {who}, I'd need an example of a customer like us who's used it for a year.",
        "It all sounds nice, but I'd like to hear it from someone who actually uses {prod}."],
        ["我跟{who}汇报之前，需要一个跟我们类似、用了一年的客户例子", "听着都挺好，但我想听听真正在用{prod}的人怎么说"]),
    G("hesitation", "context-hesitation", [
        "I'll be honest, I like it, but {who} is cautious and I don't want to decide alone.",
        "It's a lot of change at once, and I'm not sure the team is ready for it."],
        ["老实说我挺喜欢的，但{who}比较谨慎，我不想一个人拍板", "一下子变化太大了，我不确定团队准备好了没有"]),
    G("soft_rejection", "context-rejection", [
        "We talked it over as a family and decided to leave it for now, but thank you.",
        "I've thought about it and it's not for us at this stage; maybe in a year or so."],
        ["我们家里商量了一下，决定先不弄了，谢谢你", "我想过了，现阶段不适合我们，也许一年后再说"]),
    G("positive_feedback", "context-positive", [
        "Honestly, the way you explained {feat} makes a lot of sense for us.",
        "{who} will be happy to hear about {feat}, that's been a sore point."],
        ["说实话你讲的{feat}对我们很有道理", "{who}听说有{feat}肯定高兴，这一直是个痛点"]),
    G("final_confirmation", "context-confirm", [
        "We've gone through everything with {who}, and we'd like to go ahead with {prod}.",
        "Right, I've read the terms, they're fine; let's get {step} started."],
        ["我们跟{who}都过了一遍，决定就用{prod}", "条款我看了，没问题，开始{step}吧"]),
    G("time_pressure", "context-time", [
        "Look, I appreciate the call, but I'm literally walking into a meeting.",
        "We open in ten minutes and I still have to set up, so please be brief."],
        ["谢谢你打来，不过我正要进会议室", "我们十分钟后开门，我还得准备，你简短点"]),
    G("unclear", "context-unclear", [
        "I'm sorry, you've lost me, are we still talking about {prod} or something else?",
        "Wait, I thought you said something different earlier, which is it?"],
        ["不好意思我没跟上，我们还在说{prod}还是别的？", "等等，你之前说的好像不是这样，到底是哪个？"]),
]

# Fifth batch: pairs that sit close together, written so the difference is the intent, not the topic.
CUSTOMER_GROUPS += [
    # Interest is positive feedback even when it mentions time; time pressure is about the customer's clock.
    G("positive_feedback", "interest-with-time", [
        "This is worth my time, go on.", "I've got time for this, it sounds interesting.", "Take your time, I'm listening, this is interesting.",
        "Interesting, I'd like to hear more when we have a moment."],
        ["这个值得花时间听，你说", "这个我有时间听，听着挺有意思", "不急，你慢慢说，我挺感兴趣", "有意思，回头有空多聊聊"]),
    G("positive_feedback", "want-it-soon", ["I'd love to have that as soon as possible.", "That's exactly what we need right now.",
                                             "We could really use {feat} this season."],
        ["这个我想尽快用上", "这正是我们现在需要的", "这个季节我们正需要{feat}"]),
    G("time_pressure", "no-time-to-listen", ["I don't have time for a long pitch.", "I can't listen to all of it now.",
                                             "Whatever it is, I have no time today."],
        ["我没时间听你长篇大论", "现在没空听这么多", "不管是什么，我今天都没时间"]),
    # A plain product question is product_inquiry even when it is short or vague about the product.
    G("product_inquiry", "short-vague", ["How does that work?", "Is it easy to use?", "Does it come with support?", "Is it safe?",
                                         "Can I try it?"],
        ["怎么弄？", "好用吗？", "有售后吗？", "安全吗？", "能试试吗？"]),
    G("benefit_inquiry", "short-vague-benefit", ["Is it useful?", "Does it help?", "Worth it?", "Any good?"],
        ["有用吗？", "能帮上忙吗？", "值吗？", "好在哪？"]),
    # Asking for a better price is negotiation; saying the price is wrong is an objection.
    G("negotiation", "ask-not-complain", ["Is that your final price?", "Is there any wiggle room?", "What if we paid less up front?",
                                          "Could you at least waive {fee}?"],
        ["这是最终价吗？", "还有商量的余地吗？", "首付能少一点吗？", "至少{fee}能免吧？"]),
    G("price_objection", "complain-not-ask", ["The price is the problem for me.", "It's just too expensive, full stop.",
                                              "That price isn't going to work for us."],
        ["问题就在价格", "就是太贵了，没别的", "这个价格我们接受不了"]),
    # Named products and brands outside competitor comparisons.
    G("product_inquiry", "named-product", ["Does the Platinum Plus card come with {feat}?", "Is {feat} in the Pro plan?",
                                           "Does the Model S trim have {feat}?", "Is {feat} part of the Gold package?"],
        ["白金Plus卡有{feat}吗？", "Pro版有没有{feat}？", "顶配有{feat}吗？", "金牌套餐包括{feat}吗？"]),
    G("final_confirmation", "named-confirm", ["OK, I'll take the Pro plan.", "Let's go with the Gold package.",
                                              "Fine, the Platinum Plus it is."],
        ["好，我要Pro版", "那就金牌套餐吧", "行，就白金Plus"]),
]

# Sixth batch: the seller's own product names (a name alone is no competitor), and more requests for proof.
CUSTOMER_GROUPS += [
    G("product_inquiry", "brand-question", ["Does {brand} come with {feat}?", "How does {feat} work on {brand}?",
                                            "Is {brand} available right now?", "What's the difference between {brand} and the basic one?"],
        ["{brand}有{feat}吗？", "{brand}的{feat}是怎么用的？", "{brand}现在有货吗？", "{brand}跟基础款有什么区别？"]),
    G("price_inquiry", "brand-price", ["How much is {brand}?", "What does {brand} cost per year?", "Is {brand} more expensive than the basic one?"],
        ["{brand}多少钱？", "{brand}一年多少钱？", "{brand}比基础款贵多少？"]),
    G("benefit_inquiry", "brand-benefit", ["What would {brand} do for me?", "Why would I pick {brand} over the basic option?"],
        ["{brand}对我有什么好处？", "为什么要选{brand}而不是基础版？"]),
    G("final_confirmation", "brand-confirm", ["OK, I'll go with {brand}.", "Fine, put me down for {brand}."],
        ["好，就要{brand}", "行，给我办{brand}"]),
    G("positive_feedback", "brand-positive", ["{brand} looks really good.", "I like what I see in {brand}."],
        ["{brand}看着不错", "{brand}挺合我心意的"]),
    G("case_request", "done-before", ["Have you done this for people like us before?", "Have you set up {brand} somewhere similar?",
                                      "Did you ever do {step} for a customer in my situation?"],
        ["你们以前给跟我们类似的客户做过吗？", "{brand}在类似的地方装过吗？", "有没有给我这种情况的客户办过{step}？"]),
    G("case_request", "visit-see", ["Can we see one that's already up and running?", "Is there a place I could go and look at it in use?",
                                    "Could you show me photos from a real customer?"],
        ["能去看看已经在用的吗？", "有没有地方能实地看看用的效果？", "能给我看看真实客户的照片吗？"]),
    G("case_request", "track-record", ["What's your track record with this?", "How many customers have you done this for?",
                                       "How long have people been using {brand}?"],
        ["你们这方面的经验怎么样？", "你们给多少客户做过？", "{brand}大家用了多久了？"]),
]

# Seventh batch: two- and three-sentence turns, the intent first or last.
CUSTOMER_GROUPS += [
    G("hesitation", "two-sentence", [
        "It sounds fine. I just don't know if {who} will go for it.", "I get the idea. I'm just not sure it's for us yet.",
        "Okay. Let me think about it over the weekend and I'll get back to you.", "Hmm. I'd want to read the small print first."],
        ["听着还行。就是不知道{who}同不同意", "我明白了。只是还不确定适不适合我们", "好的。周末我想想再回复你", "嗯。我得先看看细则"]),
    G("soft_rejection", "two-sentence", [
        "Thanks for calling. We're not going to change anything this year though.", "I appreciate it. But honestly, we don't need it.",
        "You've been very helpful. It's still a no for now."],
        ["谢谢你打来。不过今年我们不打算换", "谢谢你。但说实话我们用不上", "你讲得很清楚。不过暂时还是不要了"]),
    G("time_pressure", "two-sentence", [
        "Sorry, I have to run. Can you send me the details?", "I'm between two appointments. You have one minute.",
        "The shop is full right now. Call me after lunch."],
        ["不好意思我得走了。你把资料发我吧", "我两个约之间挤出来的时间。你只有一分钟", "店里现在全是人。你午饭后再打"]),
    G("unclear", "two-sentence", [
        "Sorry, I got lost. What were we talking about?", "Hold on. I didn't follow the last part at all.",
        "What? The line's bad. Say that again?"],
        ["不好意思我走神了。刚才说到哪了？", "等一下。最后那段我完全没听懂", "啥？信号不好。再说一遍？"]),
    G("product_inquiry", "two-sentence", [
        "Okay, that's clear. And how does {feat} work?", "Got it. Is {feat} included as well?",
        "Right. What happens after {step}?", "I see. Can I use it on my phone too?"],
        ["好，明白了。那{feat}怎么用？", "懂了。{feat}也包含吗？", "好的。{step}之后呢？", "了解。手机上也能用吗？"]),
    G("benefit_inquiry", "two-sentence", [
        "I've heard the features. What's the actual benefit for me?", "Fine, it has {feat}. But why would I need that?"],
        ["功能我都听了。对我实际有什么好处？", "好，有{feat}。可我为什么需要这个？"]),
    G("negotiation", "two-sentence", [
        "I like it. Can you do something on the price though?", "We're close. Waive {fee} and I'll sign.",
        "It's a good offer. Is there a discount if I pay for two years?"],
        ["我挺喜欢的。价格上能再优惠点吗？", "差不多了。{fee}免了我就签", "方案不错。一次付两年有折扣吗？"]),
    G("price_objection", "two-sentence", [
        "I like it. But {price} is just too much for me.", "It's a nice product. The price is way off though.",
        "Good features. Not at that price, sorry."],
        ["东西是好。但{price}对我来说太贵了", "产品不错。就是价格太离谱", "功能挺好。但这个价不行，抱歉"]),
    G("positive_feedback", "two-sentence", [
        "Oh, that's clever. I hadn't thought of that.", "Right, that makes sense now. Good.", "Nice. That's what I wanted to hear."],
        ["哦，这个聪明。我之前没想到", "对，现在说得通了。挺好", "不错。这就是我想听的"]),
    G("final_confirmation", "two-sentence", [
        "Alright, I've heard enough. Let's do it.", "Okay, that settles it. Send me the contract.", "Good. When can we start?"],
        ["好，我听够了。就这么办", "行，那就定了。把合同发我", "好。什么时候能开始？"]),
    G("competitor_comparison", "two-sentence", [
        "Thanks. {comp} offered us the same last week, though.", "Sounds good. But how is that different from {comp}?"],
        ["谢谢。不过{comp}上周也给了我们一样的方案", "听着不错。但跟{comp}有什么区别？"]),
    G("case_request", "two-sentence", [
        "Sounds nice on paper. Who's actually using it?", "Okay. Can you show me a customer who got those results?"],
        ["纸面上听着不错。到底有谁在用？", "好。能给我看一个真做到这个效果的客户吗？"]),
    G("price_inquiry", "two-sentence", ["Okay, I'm following. So what does it cost?", "Right. And the price for all of that?"],
        ["好，我听懂了。那要多少钱？", "嗯。这些加起来什么价？"]),
]

# Eighth batch: words that sound like another label but are not (comparison words inside one's own
# offer, "other" fees, time words in a product question, "no" inside a question).
CUSTOMER_GROUPS += [
    G("product_inquiry", "compare-own-options", [
        "Which of your plans would suit someone who {use_s}?".replace("{use_s}", "travels a lot"),
        "What's the difference between the two options you mentioned?", "Is the other version better for us?",
        "Compared with the basic one, what does {brand} add?"],
        ["你们哪个方案更适合我？", "你说的两个选项有什么区别？", "另一个版本是不是更适合我们？", "{brand}跟基础版比多了什么？"]),
    G("product_inquiry", "time-words", [
        "How long does {step} usually take?", "How quickly can you deliver?", "Is there a waiting period?",
        "What time is support open until?"],
        ["{step}一般要多久？", "多快能送到？", "有等待期吗？", "客服几点下班？"]),
    G("product_inquiry", "no-inside-question", [
        "Is there no charge for {feat}, or did I misunderstand?", "So there's no contract at all?",
        "No setup needed on our side?"],
        ["{feat}不收费是吗，我没理解错吧？", "那就是不用签合同？", "我们这边不需要做任何设置？"]),
    G("price_inquiry", "other-fees", ["Are there other fees I should know about?", "What other costs come with {prod}?"],
        ["还有别的费用吗？", "{prod}还会有其他花销吗？"]),
    G("hesitation", "not-sure-which", ["I can't decide between the options.", "I'm torn between {brand} and keeping {now}."],
        ["我拿不定选哪个", "我在{brand}和继续用{now}之间纠结"]),
    G("hesitation", "need-approval", ["I'd need to get approval first.", "It's not my call alone, I need to check.",
                                      "Let me run it past {who} before I say yes."],
        ["我得先申请一下", "这事不是我一个人能定的，得问问", "我先跟{who}说一声再答复你"]),
    G("unclear", "mumble", ["Uh... sorry, what was the question?", "Hm? Were you asking me something?", "I'm not sure what you want from me."],
        ["呃……你刚才问的是什么？", "嗯？你是在问我吗？", "我不太清楚你想让我干嘛"]),
    G("time_pressure", "soon-leave", ["I need to leave in a few minutes.", "I've got to pick up my kid soon, be quick.",
                                      "My bus is coming, just the main point."],
        ["我几分钟后就得走", "我一会儿要去接孩子，快点", "车来了，说重点"]),
    G("soft_rejection", "no-with-reason", ["We're cutting costs, so no new contracts this year.", "We just signed for another two years elsewhere.",
                                           "I don't use {feat}, so it's pointless for me."],
        ["我们在压缩开支，今年不签新合同", "我们刚在别家续了两年", "我用不到{feat}，对我没意义"]),
]

# Holding back in the words of a buying signal: asking how it would work, for later, is no commitment.
CUSTOMER_GROUPS += [
    G("hesitation", "process-for-later", [
        "Not sure yet. If I decide to, how would I sign up later?", "Maybe. How would I apply, in case I want to some day?",
        "I'll think about it. What would the next steps be, if I go ahead at some point?",
        "Not now, but how does one sign up, for later?"],
        ["还没想好，以后要办的话怎么办理？", "我再想想，回头想办的话找谁？", "先不急，如果以后要办，流程是什么？", "我考虑一下，之后再问你怎么弄"]),
]
