"""The people of the demo: municipal contacts and experts, with names, roles and backgrounds."""

from __future__ import annotations

import random

from tracker.demo.texts import pick


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


SURNAMES = _words(
    "佐藤 鈴木 高橋 田中 伊藤 渡辺 山本 中村 小林 加藤 吉田 山田 佐々木 山口 松本 井上 木村 林 "
    "斎藤 清水 山崎 森 池田 橋本 阿部 石川 山下 中島 石井 小川 前田 岡田 長谷川 藤田 後藤 近藤 "
    "村上 遠藤 青木 坂本 福田 太田 西村 藤井 金子 岡本 藤原 中野 三浦 原田 中川 松田 竹内 小野 "
    "田村 中山 和田 石田 上田 森田 柴田 酒井 工藤 横山 宮崎 宮本 内田 高木 安藤 島田 谷口 大野 "
    "丸山 今井 河野 村田 武田 上野 杉山 増田 小島 新井 関口 大塚 荒井 野口 松井 千葉"
)

GIVEN_NAMES = _words(
    "翔太 大輔 健太 拓也 直樹 亮 誠 浩二 隆 聡 裕子 美穂 真由美 恵 彩 麻衣 陽子 さくら 由美 智子 "
    "和也 優 秀樹 剛 彩花 千尋 理恵 早紀 健一 修 正人 美咲 愛 香織 明美 悠斗 大樹 結衣 奈々 学 "
    "康弘 慎也 亜希子 友美 達也 翼 良子 武 純一 沙織"
)

#: Departments and titles by size class: small towns keep IT inside 総務課.
DEPARTMENTS = {
    "small": ("総務課", "総務課情報係", "企画財政課", "政策推進課"),
    "middle": ("企画課", "情報政策課", "DX推進室", "行政経営課"),
    "large": ("情報政策課", "デジタル戦略課", "情報システム課", "DX推進課"),
}
TITLES = ("主事", "主任", "主査", "係長", "課長補佐", "主幹")
LEAD_TITLES = ("係長", "課長補佐", "主幹")

EXPERT_ORIGINS = (
    "元市役所 情報政策課長",
    "元町役場 総務課情報係長",
    "総務省 地域情報化アドバイザー",
    "民間ITコンサルタント",
    "現役の市職員（DX推進担当）",
    "元SIer（自治体基幹系システム担当）",
    "大学教員（行政情報学）",
    "元県庁 情報システム課",
)

EXPERT_CAREERS: dict[str, tuple[str, ...]] = {
    "A": ("DX推進計画の策定支援を10団体以上で経験", "庁内推進体制の立ち上げを主導"),
    "B": ("基幹系システム更新を3回担当", "標準化移行のPMO経験あり"),
    "C": ("書かない窓口の立ち上げを主導", "公式LINEの導入支援を多数経験"),
    "D": ("自治体のRPA・AI-OCR導入支援を多数経験", "生成AIの庁内ガイドライン策定に関与"),
    "E": ("CISO補佐官として情報セキュリティを統括", "自治体ネットワークの設計・監査に従事"),
    "F": ("システム調達の仕様書作成・評価委員を歴任", "共同調達の取りまとめを経験"),
    "G": ("オープンデータとEBPMの実践に従事", "BIツールによるデータ可視化を支援"),
    "H": ("防災・観光分野のデジタル実証を支援", "GIGAスクールと校務DXの支援に従事"),
    "I": ("スマホ教室の企画運営を多数経験", "デジタル活用支援員の育成に従事"),
}


def size_class(population: int) -> str:
    """Small (under 30,000), middle (to 150,000) or large: the shape of a municipal IT office."""
    if population < 30_000:
        return "small"
    return "middle" if population < 150_000 else "large"


def it_staff(rng: random.Random, population: int) -> int:
    """IT staff for a population: one person (一人情シス) under 10,000, three to five at 50-100k."""
    if population < 10_000:
        return 1
    if population < 30_000:
        return rng.choice((1, 2, 2))
    if population < 50_000:
        return rng.choice((2, 3))
    if population < 100_000:
        return rng.randint(3, 5)
    if population < 300_000:
        return rng.randint(6, 12)
    return max(15, population // 20_000 + rng.randint(-3, 3))


def person_name(rng: random.Random, taken: set[str]) -> str:
    """A Japanese name not in ``taken`` (which it joins)."""
    while True:
        name = rng.choice(SURNAMES) + rng.choice(GIVEN_NAMES)
        if name not in taken:
            taken.add(name)
            return name


def contact_roles(rng: random.Random, population: int) -> list[str]:
    """The roles a municipality names as contacts: the IT person, and a supervisor if any.

    A town under 10,000 has one person for all of IT (一人情シス), so one contact.
    """
    department = rng.choice(DEPARTMENTS[size_class(population)])
    roles = [f"{department} {rng.choice(TITLES[:4])}"]
    if population >= 10_000:
        roles.append(f"{department} {rng.choice(LEAD_TITLES)}")
    return roles


def expert_background(rng: random.Random, specialties: tuple[str, ...], fiscal_year: int) -> str:
    """A short background: where the expert comes from and what they have done."""
    careers = "。".join(pick(rng, EXPERT_CAREERS[s], fiscal_year) for s in specialties[:2])
    return f"{rng.choice(EXPERT_ORIGINS)}。{careers}"
