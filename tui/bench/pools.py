"""Sentences, title parts and names the fixture generator draws from.

Real news-style text in four languages, so that the breaker, the search index and the
encodings see what they see in real feeds: common ideographs, mixed ASCII punctuation and
numbers inside Chinese, kana and kanji, Latin words and URLs.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Language:
    code: str
    """An xml:lang / <language> value."""
    sentences: tuple[str, ...]
    subjects: tuple[str, ...]
    """Title openings; a title is a subject and an event."""
    events: tuple[str, ...]
    feed_names: tuple[str, ...]
    authors: tuple[str, ...]
    table_head: tuple[str, ...]
    table_rows: tuple[str, ...]
    """First cells of a table's rows; the other cells are numbers."""
    quote_marks: tuple[str, str]
    domain: str


ZH_HANT = Language(
    code="zh-TW",
    sentences=(
        "行政院今天召開記者會，說明明年度的總預算規模，以及半導體產業的補助方案。",
        "中央氣象署表示，颱風預計在週四清晨登陸，北部與東北部地區須嚴加防範豪雨。",
        "台積電第三季營收創下新高，法人預期先進製程的需求將延續到明年上半年。",
        "根據主計總處公布的數據，今年前三季經濟成長率為3.2%，優於先前的預測。",
        "台北市政府宣布，捷運環狀線北段工程將於下個月動工，預計六年後完工通車。",
        "研究團隊在國際期刊發表論文，指出氣候變遷已明顯改變台灣西部海岸的生態。",
        "立法院昨天三讀通過勞動基準法部分條文修正案，基本工資將在明年元旦調漲。",
        "這項調查訪問了1,200位民眾，其中超過六成表示願意為再生能源支付較高電價。",
        "高鐵公司指出，連假期間將加開42班次列車，旅客可以透過手機應用程式訂票。",
        "專家提醒，流感疫苗接種後約需兩週才會產生保護力，建議民眾儘早前往接種。",
        "國立故宮博物院推出新特展，展出宋代書畫精品共八十餘件，展期至明年三月。",
        "教育部表示，新的課程綱要將加強資訊教育，讓學生從小學習程式設計與邏輯思考。",
        "經濟部統計處指出，外銷訂單連續五個月成長，主要來自人工智慧伺服器的需求。",
        "颱風過後，農委會估計農業損失超過新台幣3億元，以香蕉和蔬菜受創最為嚴重。",
        "衛生福利部呼籲民眾，出現發燒、咳嗽等症狀時應戴口罩，並避免前往人多的場所。",
        "中華職棒總冠軍賽今晚在台中開打，門票在開賣後十分鐘內就全數售完。",
        "交通部公路局表示，蘇花改全線通車後，宜蘭到花蓮的行車時間縮短約一小時。",
        "央行理監事會決議維持利率不變，總裁在會後記者會上說明對通膨的看法。",
        "《天下雜誌》的最新調查顯示，年輕世代對於遠距工作的接受度明顯提高。",
        "「我們希望讓更多人看見台灣的創作力。」策展人在開幕典禮上這樣說。",
        "市場分析師認為，新台幣匯率短期內仍將在31元至32元之間震盪。",
        "這座位於花蓮山區的小學，全校只有三十多名學生，卻培養出多位國手。",
        "環境部公布空氣品質監測結果，中南部地區的細懸浮微粒濃度較去年同期下降。",
        "科技部門的工程師指出，新的晶片採用3奈米製程，效能提升約百分之十五。",
        "文化部補助的紀錄片在國際影展獲獎，導演感謝所有參與拍攝的村民。",
        "根據內政部統計，去年全國出生人數再創新低，人口老化的速度持續加快。",
        "桃園國際機場第三航廈北側大廳預計明年啟用，可望紓解尖峰時段的擁擠。",
        "消費者文教基金會提醒，網路購物時應確認賣家資料，以免遭到詐騙。",
        "颱風假是否放，由各縣市政府依據風雨情況決定，並於前一晚十點前公布。",
        "這家新創公司開發的翻譯軟體，已經能夠處理台語、客語和原住民族語言。",
        "半導體設備商表示，今年的訂單能見度已經延伸到明年第二季。",
        "台灣大學的研究人員利用衛星資料，分析過去二十年來都市熱島效應的變化。",
    ),
    subjects=(
        "行政院",
        "台積電",
        "中央氣象署",
        "台北市政府",
        "立法院",
        "高鐵公司",
        "經濟部",
        "衛福部",
        "故宮博物院",
        "央行",
        "教育部",
        "環境部",
        "研究團隊",
        "半導體業者",
    ),
    events=(
        "公布最新經濟數據",
        "宣布擴大投資計畫",
        "提醒民眾注意颱風動態",
        "三讀通過修正案",
        "發表年度報告",
        "啟動新一輪補助",
        "說明明年預算規模",
        "回應外界質疑",
        "推出全新服務",
        "召開臨時記者會",
        "評估颱風造成的損失",
        "與國際夥伴簽署合作備忘錄",
    ),
    feed_names=("中央社即時新聞", "科技新報", "天下雜誌", "公視新聞網", "自由時報", "報導者"),
    authors=("林小萍", "陳建宏", "王美玲", "張志明", "李淑芬", "黃俊傑"),
    table_head=("項目", "今年", "去年", "增減"),
    table_rows=("出口總額", "進口總額", "外銷訂單", "工業生產", "消費者物價", "失業率"),
    quote_marks=("「", "」"),
    domain="news.example.tw",
)

ZH_HANS = Language(
    code="zh-CN",
    sentences=(
        "国家统计局今天发布数据，前三季度国内生产总值同比增长5.2%，经济运行总体平稳。",
        "气象台发布暴雨预警，预计未来三天华南地区将出现强降雨，请市民注意出行安全。",
        "这家新能源汽车企业上个月交付新车超过4万辆，同比增长近一倍。",
        "教育部表示，将进一步减轻中小学生的课业负担，保障学生每天的体育活动时间。",
        "北京地铁新线路今天开通运营，全长约28公里，共设车站二十座。",
        "专家认为，人工智能技术正在改变制造业的生产方式，但也带来新的就业挑战。",
        "央行宣布下调存款准备金率0.25个百分点，预计释放长期资金约5000亿元。",
        "据海关总署统计，今年前十个月我国货物贸易进出口总值同比增长1.8%。",
        "上海国际电影节闭幕，一部讲述乡村教师故事的影片获得最佳影片奖。",
        "科研人员在青藏高原发现了新的植物物种，相关成果发表在国际学术期刊上。",
        "“我们会继续加大研发投入。”公司负责人在发布会上表示。",
        "随着天气转凉，医生提醒老年人注意保暖，并按时接种流感疫苗。",
        "高铁网络不断完善，从广州到武汉只需要三个多小时，比过去缩短了一半。",
        "这项调查显示，超过七成的受访者每天使用手机阅读新闻，其中年轻人比例最高。",
        "深圳一家科技公司发布了新款芯片，采用先进工艺，性能提升约百分之二十。",
        "城市管理部门表示，将在年底前新增五百个公共充电桩，方便市民出行。",
        "《人民日报》发表评论文章，呼吁加强对个人信息的保护。",
        "近年来，越来越多的年轻人选择回到家乡创业，带动了当地经济发展。",
        "国家博物馆推出新展览，集中展示了一百多件珍贵文物，展期三个月。",
        "受国际油价上涨影响，国内成品油价格将于明日零时起上调。",
        "中国女排在世界联赛中以3比1战胜对手，取得小组赛三连胜。",
        "有关部门提醒，网络购物时要选择正规平台，谨防虚假链接和电信诈骗。",
        "这座古城保存了大量明清时期的建筑，每年吸引数百万游客前来参观。",
        "研究显示，适量运动和规律作息有助于提高睡眠质量，降低慢性病风险。",
        "农业农村部表示，今年粮食生产再获丰收，总产量连续多年稳定在较高水平。",
        "长江流域的生态保护取得明显成效，多种珍稀鱼类的数量有所回升。",
        "新版个人所得税申报系统上线后，纳税人可以通过手机完成全部操作。",
        "该市计划用五年时间改造老旧小区，加装电梯并完善社区养老服务设施。",
        "分析人士指出，消费市场逐步回暖，服务消费成为拉动经济增长的重要力量。",
        "航天科研团队宣布，新一代运载火箭的发动机试验取得圆满成功。",
    ),
    subjects=(
        "国家统计局",
        "气象台",
        "教育部",
        "北京地铁",
        "央行",
        "海关总署",
        "科研团队",
        "新能源车企",
        "国家博物馆",
        "农业农村部",
        "深圳科技公司",
        "城市管理部门",
    ),
    events=(
        "发布最新经济数据",
        "宣布新的支持政策",
        "提醒市民注意安全",
        "公布年度工作计划",
        "取得重要进展",
        "推出便民服务",
        "召开新闻发布会",
        "回应社会关切",
        "启动专项行动",
        "发布研究报告",
        "签署战略合作协议",
    ),
    feed_names=("新华网", "澎湃新闻", "财新网", "界面新闻", "科技日报", "南方周末"),
    authors=("刘伟", "张敏", "王磊", "李静", "陈晨", "杨帆"),
    table_head=("指标", "本期", "上期", "同比"),
    table_rows=("社会消费品零售总额", "固定资产投资", "出口", "进口", "居民消费价格", "工业增加值"),
    quote_marks=("“", "”"),
    domain="news.example.cn",
)

JA = Language(
    code="ja",
    sentences=(
        "気象庁によりますと、台風は今夜から明日の朝にかけて関東地方に最も接近する見込みです。",
        "東京都は、来年度から公立小学校の給食費を無償化する方針を明らかにしました。",
        "日本銀行は金融政策決定会合で、現在の大規模な金融緩和策を維持することを決めました。",
        "新幹線は大雪の影響で、東京と新大阪の間の一部の列車で最大1時間程度の遅れが出ています。",
        "政府は、人工知能の開発と利用に関する新しいガイドラインをまとめました。",
        "総務省の調査では、スマートフォンでニュースを読む人の割合が初めて8割を超えました。",
        "円安の影響で、輸入品の価格が上がり、家計の負担が増えています。",
        "「地域の魅力を世界に発信したい」と、町の担当者は話していました。",
        "京都の寺院では紅葉が見頃を迎え、週末には多くの観光客が訪れました。",
        "研究グループは、新しい電池の材料を開発し、充電時間を半分にすることに成功したと発表しました。",
        "厚生労働省は、インフルエンザの患者数が全国で増えているとして、注意を呼びかけています。",
        "プロ野球の日本シリーズは第7戦までもつれ込み、最後は延長戦で決着しました。",
        "この半導体工場は熊本県に建設され、およそ1,700人の雇用が見込まれています。",
        "専門家は、地震に備えて家具を固定し、数日分の水や食料を用意しておくよう勧めています。",
        "大阪・関西万博の会場では、各国のパビリオンの建設が最終段階に入っています。",
        "去年の訪日外国人旅行者は2,500万人を超え、消費額は過去最高となりました。",
        "文部科学省は、小学校でのプログラミング教育をさらに充実させる考えを示しました。",
        "北海道では今朝、今シーズン一番の冷え込みとなり、各地で氷点下を記録しました。",
        "自動車メーカー各社は、電気自動車の新しいモデルを相次いで発表しています。",
        "町の図書館では、古い地図や写真をデジタル化して公開する取り組みが始まりました。",
        "ラーメン店の店主は「スープの味を守るため、毎朝五時から仕込みをしています」と語りました。",
        "株式市場では、半導体関連の銘柄を中心に買い注文が広がり、日経平均株価は大きく値上がりしました。",
        "ロボットが料理を運ぶレストランが増え、人手不足の解消につながると期待されています。",
        "鉄道会社は、混雑を避けるため、時差通勤を利用した人にポイントを付与するサービスを始めます。",
        "この小説は、江戸時代の職人の暮らしを丁寧に描き、文学賞を受賞しました。",
        "ヨーロッパで開かれた国際会議では、気候変動への対策が主な議題となりました。",
        "コンビニエンスストアでは、おにぎりやサンドイッチの値上げが続いています。",
        "宇宙航空研究開発機構は、新型ロケットの打ち上げに成功したと発表しました。",
    ),
    subjects=(
        "気象庁",
        "東京都",
        "日本銀行",
        "新幹線",
        "政府",
        "総務省",
        "厚生労働省",
        "研究グループ",
        "文部科学省",
        "自動車メーカー",
        "宇宙航空研究開発機構",
        "鉄道会社",
    ),
    events=(
        "新たな方針を発表",
        "注意を呼びかけ",
        "来年度の計画まとめる",
        "調査結果を公表",
        "サービス開始へ",
        "記者会見で説明",
        "支援策を検討",
        "運転見合わせ",
        "過去最高を記録",
        "協定を締結",
        "見直し案を提示",
    ),
    feed_names=("NHKニュース", "日経電子版", "朝日新聞デジタル", "ITmedia", "東洋経済オンライン"),
    authors=("佐藤健", "鈴木花子", "高橋誠", "田中優子", "伊藤大輔", "山本彩"),
    table_head=("項目", "今年", "前年", "前年比"),
    table_rows=("売上高", "営業利益", "経常利益", "純利益", "従業員数", "設備投資"),
    quote_marks=("「", "」"),
    domain="news.example.jp",
)

EN = Language(
    code="en",
    sentences=(
        (
            "The central bank left interest rates unchanged on "
            "Thursday, citing a slowdown in inflation."
        ),
        "Engineers said the new chip, built on a 3-nanometre process, uses 30% less power.",
        (
            "Heavy rain is expected across the region over the "
            "weekend, and flood warnings are in place."
        ),
        "The city council approved a plan to add 40 kilometres of protected bike lanes by 2027.",
        "Researchers reported that the software can translate between 200 languages in real time.",
        (
            "Shares in semiconductor makers rose sharply after the "
            "company raised its revenue forecast."
        ),
        "“We are not there yet, but the trend is clear,” the minister told reporters on Monday.",
        "The survey of 2,000 adults found that most people now read the news on their phones.",
        "A spokesperson said the service would resume at 06:00 local time on Saturday.",
        "Scientists warn that climate change is making heatwaves longer and more frequent.",
        "The open-source project, written mostly in Python, has more than 5,000 contributors.",
        "Train operators apologised for the delays, which affected thousands of commuters.",
        (
            "The museum's new exhibition brings together 120 works "
            "that have never been shown in public."
        ),
        "Officials estimate the storm caused damage worth about $300 million to farms and roads.",
        "The company said it would hire 1,500 people at its new factory over the next three years.",
        "Doctors recommend that older adults get a flu vaccine before the winter season begins.",
        "Economists expect growth to pick up next year as consumer spending recovers.",
        "The report, published on https://www.example.org/reports/2025, runs to 240 pages.",
        "In the final, the home team came back from two goals down to win 3-2 in extra time.",
        "Lawmakers passed the bill by a narrow margin after a debate that lasted past midnight.",
        "The airline plans to add direct flights to Tokyo, Taipei and Shanghai from next spring.",
        "Critics say the policy does little to address the shortage of affordable housing.",
        "The startup raised $25 million to expand its battery recycling plant.",
        "Volunteers spent the weekend cleaning up the beach after the oil spill.",
        "The software update fixes a security flaw that could let attackers read private messages.",
        "Local farmers said the dry summer had cut their rice harvest by nearly a fifth.",
        "The festival, now in its 30th year, drew a record crowd of 80,000 visitors.",
        "Astronomers have detected water vapour in the atmosphere of a distant planet.",
    ),
    subjects=(
        "Central bank",
        "City council",
        "Researchers",
        "Chipmakers",
        "Lawmakers",
        "Airline",
        "Scientists",
        "Train operators",
        "Startup",
        "Museum",
        "Economists",
        "Officials",
    ),
    events=(
        "holds rates steady",
        "unveils new plan",
        "warns of delays",
        "reports record quarter",
        "approves budget",
        "expands into Asia",
        "responds to criticism",
        "publishes annual report",
        "signs partnership deal",
        "cuts forecast",
        "launches new service",
    ),
    feed_names=("World Desk", "Tech Review Daily", "The Morning Brief", "Science Weekly"),
    authors=("Jane Miller", "David Chen", "Sarah Johnson", "Tom Nakamura", "Emma Wilson"),
    table_head=("Item", "This year", "Last year", "Change"),
    table_rows=("Revenue", "Operating profit", "Exports", "Imports", "Employees", "Investment"),
    quote_marks=("“", "”"),
    domain="news.example.com",
)

LANGUAGES: tuple[Language, ...] = (ZH_HANT, ZH_HANS, JA, EN)

# Search queries the benchmark runs: each occurs in a few percent of the articles.
SEARCH_QUERIES: tuple[tuple[str, str], ...] = (
    ("Chinese, 2 characters", "颱風"),
    ("Chinese, 3 characters", "半導體"),
    ("Japanese", "新幹線"),
    ("Latin word", "software"),
    ("Chinese, 1 character", "風"),
)
