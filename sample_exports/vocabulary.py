"""What Japanese B2B CRM and MA exports say, with how often they say it.

Weights are relative frequencies. ``fit`` and ``intent`` tilts feed the hidden propensity in
``propensity.py``; they are deliberately not our scoring rules, so that analyses of the sample data
find realistic, imperfect patterns instead of the formula they were generated from.
"""

# (label as the CRM writes it, weight, contribution to the hidden fit)
INDUSTRIES = (
    ("製造業", 24, 0.6),
    ("情報通信業", 20, 0.7),
    ("サービス業", 16, 0.2),
    ("卸売・小売業", 12, -0.1),
    ("金融・保険業", 7, 0.3),
    ("建設業", 7, -0.2),
    ("運輸・郵便業", 5, -0.3),
    ("医療・福祉", 4, -0.3),
    ("教育・学習支援業", 3, -0.5),
    ("不動産業", 2, -0.2),
)
# Variant spellings a CRM picklist drifts into over the years.
INDUSTRY_VARIANTS = {"情報通信業": ("IT・通信", "情報・通信業"), "製造業": ("メーカー",)}

# (official prefecture, weight, how exports spell it: official / short / romanised)
PREFECTURES = (
    ("東京都", 38, ("東京都", "東京", "Tokyo")),
    ("神奈川県", 8, ("神奈川県", "神奈川", "Kanagawa")),
    ("大阪府", 12, ("大阪府", "大阪", "Osaka")),
    ("愛知県", 7, ("愛知県", "愛知", "Aichi")),
    ("埼玉県", 4, ("埼玉県", "埼玉", "Saitama")),
    ("千葉県", 4, ("千葉県", "千葉", "Chiba")),
    ("京都府", 3, ("京都府", "京都", "Kyoto")),
    ("兵庫県", 4, ("兵庫県", "兵庫", "Hyogo")),
    ("福岡県", 5, ("福岡県", "福岡", "Fukuoka")),
    ("北海道", 4, ("北海道", "北海道", "Hokkaido")),
    ("宮城県", 3, ("宮城県", "宮城", "Miyagi")),
    ("広島県", 3, ("広島県", "広島", "Hiroshima")),
    ("新潟県", 2, ("新潟県", "新潟", "Niigata")),
    ("長野県", 1, ("長野県", "長野", "Nagano")),
    ("鹿児島県", 1, ("鹿児島県", "鹿児島", "Kagoshima")),
    ("高知県", 1, ("高知県", "高知", "Kochi")),
)
# Business words that follow a family name in a company name (山田精機, 佐藤システム).
COMPANY_WORDS = (
    "精機",
    "工業",
    "製作所",
    "システム",
    "テクノロジー",
    "ソリューションズ",
    "商事",
    "物産",
    "電機",
    "化学",
    "建設",
    "運輸",
    "ホールディングス",
    "ネットワークス",
    "データ",
    "ロジスティクス",
    "フーズ",
    "エンジニアリング",
    "コンサルティング",
    "メディカル",
)
ASCII_COMPANY_WORDS = ("ABC", "NEXT", "J-TECH", "SAKURA", "FUJI", "NOVA", "AXIS", "ZEN", "KAIZEN", "TOKYO")

# (job title, weight, hidden fit)
JOB_TITLES = (
    ("代表取締役", 3, 0.9),
    ("取締役", 3, 0.8),
    ("執行役員", 2, 0.8),
    ("本部長", 4, 0.7),
    ("部長", 12, 0.6),
    ("次長", 4, 0.4),
    ("課長", 16, 0.4),
    ("係長", 8, 0.1),
    ("主任", 12, 0.0),
    ("担当", 24, -0.2),
    ("一般社員", 8, -0.4),
    ("学生", 2, -1.5),
    ("", 4, -0.3),
)
DEPARTMENTS = (
    ("情報システム部", 18),
    ("営業部", 18),
    ("経営企画部", 10),
    ("マーケティング部", 12),
    ("総務部", 9),
    ("製造部", 8),
    ("人事部", 6),
    ("経理部", 5),
    ("購買部", 5),
    ("研究開発部", 6),
    ("", 3),
)
# (label in the CRM's lead-source picklist, weight, hidden intent tilt)
LEAD_SOURCES = (
    ("Webフォーム", 28, 0.3),
    ("資料請求", 14, 0.4),
    ("ウェビナー", 16, 0.2),
    ("展示会", 14, -0.1),
    ("紹介", 6, 0.6),
    ("Web広告", 14, -0.2),
    ("メルマガ", 5, -0.1),
    ("テレアポ", 3, -0.3),
)
FREE_MAIL_DOMAINS = ("gmail.com", "yahoo.co.jp", "outlook.jp", "icloud.com", "docomo.ne.jp", "hotmail.co.jp")

# Web pages: (path template, weight, tilt by intent). {n} becomes a page number.
PAGES = (
    ("/pricing", 4, 0.6),
    ("/products/lead-scoring", 8, 0.5),
    ("/products/ma-integration", 6, 0.5),
    ("/products/analytics", 5, 0.4),
    ("/case-studies/manufacturing-{n}", 5, 0.6),
    ("/case-studies/it-{n}", 4, 0.6),
    ("/blog/lead-nurturing-{n}", 14, -0.2),
    ("/blog/bant-{n}", 8, -0.1),
    ("/about", 6, -0.3),
    ("/", 18, -0.1),
    ("/careers", 2, -1.2),
    ("/news/{n}", 5, -0.4),
    ("/contact", 2, 0.5),
)
# Downloads: (asset name, asset type as the MA writes it, weight, tilt)
DOWNLOADS = (
    ("リードスコアリング入門ガイド", "ホワイトペーパー", 10, 0.0),
    ("MA活用チェックリスト", "ホワイトペーパー", 6, 0.1),
    ("料金表", "価格表", 4, 1.1),
    ("製造業A社 導入事例", "導入事例", 5, 0.6),
    ("IT企業B社 導入事例", "導入事例", 4, 0.6),
    ("製品カタログ", "製品資料", 6, 0.4),
)
FORMS = (
    ("/contact", "お問い合わせ", 1.0),
    ("/demo-request", "デモ申込", 1.3),
    ("/trial", "無料トライアル", 1.1),
)
WEBINARS = (
    "はじめてのリードスコアリング",
    "BANTで変わる営業連携",
    "MA×SFA 実践セミナー",
    "導入企業に学ぶナーチャリング",
)
EMAIL_CAMPAIGNS = ("月刊ニュースレター", "新機能のお知らせ", "ウェビナーのご案内", "導入事例のご紹介")

SALES_ACTIVITY_TYPES = (("Call", 55), ("Email", 30), ("Web Meeting", 10), ("Meeting", 5))
SALES_SUBJECTS = {
    "Call": "初回架電",
    "Email": "ご挨拶メール",
    "Web Meeting": "オンライン商談",
    "Meeting": "訪問商談",
}

DISQUALIFY_REASONS = (
    ("連絡不通", 30),
    ("学生・個人", 10),
    ("競合他社", 8),
    ("予算なし", 25),
    ("重複登録", 7),
    ("ニーズなし", 20),
)
RECYCLE_REASONS = (("時期尚早", 50), ("検討中止", 20), ("担当者異動", 10), ("情報収集段階", 20))
LOST_REASONS = (("価格", 30), ("競合", 30), ("時期尚早", 15), ("予算確保できず", 15), ("機能不足", 10))

BUDGET_LEVELS = ("高", "中", "低")
AUTHORITY_ROLES = ("決裁者", "影響者", "利用者")
NEED_LEVELS = ("高", "中", "低")
TIMELINES = ("3ヶ月以内", "6ヶ月以内", "1年以内", "未定")
NEED_NOTES = (
    "リード管理が属人化しており可視化したい",
    "営業への引き渡し基準が曖昧",
    "MAのスコアが実態と合わない",
    "展示会リードのフォローが遅れている",
    "インサイドセールス立ち上げ中",
    "既存ツールの更改時期",
)
OPEN_OPPORTUNITY_STAGES = ("Prospecting", "Proposal/Price Quote", "Negotiation/Review")
