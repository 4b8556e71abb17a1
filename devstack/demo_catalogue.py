"""Demo apartments in Almaty and Astana: plain data, turned into rows by `devstack.seed`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from models.enums import CancellationPolicy, City, PropertyClass, Role

E, C, B, P = (
    PropertyClass.ECONOMY,
    PropertyClass.COMFORT,
    PropertyClass.BUSINESS,
    PropertyClass.PREMIUM,
)

# Whole tenge per night: (cheapest one-room, dearest four-room) for each class.
NIGHTLY_RANGE = {E: (12_000, 18_000), C: (18_000, 28_000), B: (30_000, 45_000), P: (50_000, 90_000)}
CLEANING_FEE = {E: 3_000, C: 4_000, B: 6_000, P: 10_000}
AREA_M2 = {1: 38.0, 2: 56.0, 3: 78.0, 4: 105.0}

BLURB = {
    E: "Чистая квартира без лишнего: всё нужное для короткой поездки — Wi‑Fi, стиральная "
    "машина, свежее бельё и полотенца.",
    C: "Квартира с современным ремонтом: удобные кровати, кухня с посудой, кондиционер, "
    "быстрый Wi‑Fi и Smart TV.",
    B: "Квартира бизнес-класса в новом доме: рабочее место, кофемашина, кондиционер, "
    "охраняемый двор и подземный паркинг.",
    P: "Апартаменты премиум-класса с дизайнерским интерьером: панорамные окна, посудомоечная "
    "машина, консьерж и вид на город.",
}


@dataclass(frozen=True)
class Apartment:
    city: City
    district: str
    property_class: PropertyClass
    rooms: int
    title: str
    address: str


_ALMATY = [
    ("Медеуский", B, 2, "Квартира бизнес-класса у Парка 28 панфиловцев", "ул. Гоголя, 39"),
    ("Медеуский", P, 3, "Пентхаус с видом на горы у Кок-Тобе", "пр. Достык, 210"),
    ("Медеуский", C, 1, "Уютная студия рядом с Арбатом", "ул. Жибек Жолы, 64"),
    ("Медеуский", E, 2, "Недорогая двушка у Зелёного базара", "ул. Жибек Жолы, 115"),
    ("Бостандыкский", P, 4, "Просторные апартаменты у «Esentai Mall»", "пр. Аль-Фараби, 77/8"),
    ("Бостандыкский", B, 3, "Трёхкомнатная квартира у «Mega Alma-Ata»", "ул. Розыбакиева, 247"),
    ("Бостандыкский", C, 2, "Светлая двушка у КазНУ", "пр. Аль-Фараби, 71"),
    ("Бостандыкский", E, 1, "Компактная однушка у Ботанического сада", "ул. Тимирязева, 42"),
    ("Алмалинский", B, 1, "Стильная студия на Абая", "пр. Абая, 52"),
    ("Алмалинский", C, 3, "Семейная квартира у Центрального стадиона", "ул. Байтурсынова, 65"),
    ("Алмалинский", E, 2, "Двушка у ТРЦ «Forum»", "ул. Сейфуллина, 617"),
    ("Алмалинский", P, 2, "Дизайнерские апартаменты в центре", "ул. Кабанбай батыра, 83"),
    ("Ауэзовский", E, 1, "Бюджетная однушка в мкр. Жетысу", "мкр. Жетысу-2, 18"),
    ("Ауэзовский", C, 2, "Двухкомнатная квартира у озера Сайран", "ул. Толе би, 286"),
    ("Ауэзовский", E, 3, "Трёхкомнатная для компании в Аксае", "мкр. Аксай-4, 66"),
    ("Ауэзовский", B, 4, "Большая квартира с двумя санузлами", "мкр. Мамыр-1, 29"),
    ("Наурызбайский", C, 1, "Студия в новом ЖК в Шугыле", "мкр. Шугыла, 340/6"),
    ("Наурызбайский", E, 2, "Тихая квартира у подножия гор", "мкр. Калкаман-2, 14"),
    ("Наурызбайский", C, 4, "Четырёхкомнатная для большой семьи", "мкр. Карагайлы, 12"),
    ("Наурызбайский", P, 3, "Апартаменты с террасой и видом на горы", "ул. Жанкожа батыра, 202"),
]

_ASTANA = [
    ("Есильский", P, 2, "Апартаменты с видом на Байтерек", "ул. Достык, 5"),
    ("Есильский", B, 1, "Студия бизнес-класса у «Хан Шатыра»", "пр. Туран, 37"),
    ("Есильский", C, 3, "Трёхкомнатная квартира у EXPO", "пр. Мангилик Ел, 53"),
    ("Алматинский", E, 1, "Недорогая однушка у парка Жеруйык", "ул. Жубанова, 12"),
    ("Алматинский", C, 2, "Уютная двушка на Тауелсиздик", "пр. Тауелсиздик, 34"),
    ("Алматинский", B, 4, "Просторная четырёхкомнатная на Абылай хана", "пр. Абылай хана, 5"),
    ("Сарыаркинский", E, 2, "Двушка в старом центре", "ул. Кенесары, 40"),
    ("Сарыаркинский", C, 1, "Студия у набережной Есиля", "пр. Республики, 15"),
    ("Сарыаркинский", P, 4, "Апартаменты премиум-класса в центре", "ул. Бейбитшилик, 25"),
    ("Байконур", E, 3, "Трёхкомнатная квартира для командировки", "ул. Иманова, 11"),
    ("Байконур", B, 2, "Двушка бизнес-класса у площади Бейбитшилик", "ул. Абая, 63"),
    ("Байконур", P, 1, "Премиальная студия с панорамными окнами", "ул. Московская, 29"),
]

APARTMENTS = [Apartment(City.ALMATY, *row) for row in _ALMATY] + [
    Apartment(City.ASTANA, *row) for row in _ASTANA
]

POLICIES = list(CancellationPolicy)

AGENCY_NAME = "Qonaq Realty"


@dataclass(frozen=True)
class DemoUser:
    label: str
    name: str
    phone: str
    role: Role
    # Their chat with the bot offline: `make chat CHAT_ID=<telegram_id>`.
    telegram_id: int
    in_agency: bool = False


DEMO_USERS = [
    DemoUser("super_admin", "Администратор ZhilyeGO", "+77010000001", Role.SUPER_ADMIN, 700001),
    DemoUser("owner", "Дамир Сейткалиев", "+77010000002", Role.ADMIN, 700002),
    DemoUser("realtor_almaty", "Асель Жумабаева", "+77010000003", Role.ADMIN, 700003, True),
    DemoUser("realtor_astana", "Ерлан Нуртазин", "+77010000004", Role.ADMIN, 700004, True),
    DemoUser("owner_astana", "Гульнара Ахметова", "+77010000005", Role.ADMIN, 700005),
]


def owner_label(apartment: Apartment, index: int) -> str:
    """Alternate each city's flats between an independent owner and an agency realtor."""
    if apartment.city is City.ALMATY:
        return "owner" if index % 2 == 0 else "realtor_almaty"
    return "realtor_astana" if index % 2 == 0 else "owner_astana"


def nightly_price(apartment: Apartment, index: int) -> int:
    """Dearer with more rooms, with a small per-flat spread; rounded to 500 tenge."""
    low, high = NIGHTLY_RANGE[apartment.property_class]
    base = low + (high - low) * (apartment.rooms - 1) / 3
    spread = ((index * 7) % 5 - 2) * 500
    return int(min(high, max(low, round((base + spread) / 500) * 500)))


def demo_pricing(apartment: Apartment, index: int, base: int, today: date) -> dict[str, Any]:
    """Owners' rules on part of the catalogue, so `make dev` shows them: weekend prices,
    weekly and monthly discounts, the coming summer as a season, New Year's Eve."""

    def rounded(amount: float) -> int:
        return int(round(amount / 500) * 500)

    rules: dict[str, Any] = {}
    if index % 2 == 0:
        rules["weekend_price"] = rounded(base * 1.2)
    if index % 3 == 0:
        rules["discounts"] = [{"min_nights": 7, "percent": 10}, {"min_nights": 28, "percent": 20}]
    if index % 4 == 0:
        summer = today.year if today.month < 6 else today.year + 1
        rules["seasons"] = [
            {
                "start": f"{summer}-06-01",
                "end": f"{summer}-08-31",
                "price": rounded(base * 1.25),
                "min_nights": 2,
                "name": "Лето",
            }
        ]
    if index % 5 == 0:
        rules["dates"] = [
            {"night": f"{today.year}-12-31", "price": rounded(base * 1.8), "name": "Новый год"}
        ]
    if apartment.rooms >= 3:
        rules["extra_guest_fee"] = 2_000
        rules["guests_included"] = apartment.rooms * 2 - 2
    return rules


def area_m2(apartment: Apartment) -> float:
    return AREA_M2[apartment.rooms] + (10 if apartment.property_class is P else 0)


def district_phrase(district: str) -> str:
    # «Медеуский район», but «район Байконур».
    return f"{district} район" if district.endswith("ский") else f"район {district}"


def description(apartment: Apartment) -> str:
    area = area_m2(apartment)
    return (
        f"{BLURB[apartment.property_class]} {apartment.rooms}-комн., {area:.0f} м², "
        f"{district_phrase(apartment.district)}, {apartment.address}. "
        "Заселение с 14:00, выезд до 12:00."
    )
