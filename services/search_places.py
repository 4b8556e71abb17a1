"""Cities and districts in every language: the one table the bots, the cards, the
notifications and the API's search filter read.

Apartments store a city as its Latin key ("Almaty") and a district as the owner typed it
(the demo has Russian names, "Медеуский"). Here each place has its ru / kk / en name and
the other ways people write it ("Алматы қ.", "Нур-Султан", "Medeu"), so a guest or an API
client may name it in any of them and every screen shows it in the reader's language.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache


@dataclass(frozen=True)
class Place:
    key: str  # as stored
    ru: str
    kk: str
    en: str
    aliases: tuple[str, ...] = ()

    def name(self, lang: str) -> str:
        return {"ru": self.ru, "kk": self.kk, "en": self.en}.get(lang, self.ru)

    @property
    def spellings(self) -> frozenset[str]:
        return frozenset({self.key, self.ru, self.kk, self.en, *self.aliases})


CITIES = (
    Place("Almaty", "Алматы", "Алматы", "Almaty", ("Алма-Ата", "Alma-Ata", "Alma Ata")),
    Place(
        "Astana",
        "Астана",
        "Астана",
        "Astana",
        ("Нур-Султан", "Нұр-Сұлтан", "Nur-Sultan", "Целиноград", "Акмола", "Ақмола"),
    ),
    Place("Shymkent", "Шымкент", "Шымкент", "Shymkent", ("Чимкент", "Chimkent")),
    Place("Karaganda", "Караганда", "Қарағанды", "Karaganda", ("Karagandy",)),
    Place("Aktau", "Актау", "Ақтау", "Aktau"),
    Place("Atyrau", "Атырау", "Атырау", "Atyrau"),
    Place("Aktobe", "Актобе", "Ақтөбе", "Aktobe"),
    Place("Pavlodar", "Павлодар", "Павлодар", "Pavlodar"),
    Place("Oskemen", "Усть-Каменогорск", "Өскемен", "Oskemen", ("Ust-Kamenogorsk",)),
    Place("Turkistan", "Туркестан", "Түркістан", "Turkistan", ("Turkestan",)),
    Place("Kostanay", "Костанай", "Қостанай", "Kostanay"),
    Place("Kokshetau", "Кокшетау", "Көкшетау", "Kokshetau"),
    Place("Taraz", "Тараз", "Тараз", "Taraz"),
)

DISTRICTS = (
    # Almaty
    Place("Алатауский", "Алатауский", "Алатау ауданы", "Alatau"),
    Place("Алмалинский", "Алмалинский", "Алмалы ауданы", "Almaly"),
    Place("Ауэзовский", "Ауэзовский", "Әуезов ауданы", "Auezov"),
    Place("Бостандыкский", "Бостандыкский", "Бостандық ауданы", "Bostandyk"),
    Place("Жетысуский", "Жетысуский", "Жетісу ауданы", "Zhetysu"),
    Place("Медеуский", "Медеуский", "Медеу ауданы", "Medeu"),
    Place("Наурызбайский", "Наурызбайский", "Наурызбай ауданы", "Nauryzbay"),
    Place("Турксибский", "Турксибский", "Түрксіб ауданы", "Turksib"),
    # Astana
    Place("Алматинский", "Алматинский", "Алматы ауданы", "Almaty District"),
    Place("Байконур", "Байконур", "Байқоңыр ауданы", "Baikonur", ("Байконурский",)),
    Place("Есильский", "Есильский", "Есіл ауданы", "Yesil", ("Esil",)),
    Place("Нура", "Нура", "Нұра ауданы", "Nura"),
    Place("Сарыаркинский", "Сарыаркинский", "Сарыарқа ауданы", "Saryarka", ("Сарыарка",)),
    # Shymkent
    Place("Абайский", "Абайский", "Абай ауданы", "Abay"),
    Place("Аль-Фарабийский", "Аль-Фарабийский", "Әл-Фараби ауданы", "Al-Farabi"),
    Place("Енбекшинский", "Енбекшинский", "Еңбекші ауданы", "Enbekshi"),
    Place("Каратауский", "Каратауский", "Қаратау ауданы", "Karatau"),
    Place("Туранский", "Туранский", "Тұран ауданы", "Turan"),
)

# "г. Алматы", "Алматы қ.", "Алматы қаласы", "Almaty city", "Медеу ауданы", "Medeu district".
_PREFIX = re.compile(r"^(?:г\.|г |город |city of )")
_CYRILLIC = re.compile(r"[а-яёәғқңөұүһі]", re.IGNORECASE)
_SUFFIX = re.compile(r"(?: қ\.?| қаласы| city| район| р-н| ауданы| district)$")


def normal(name: str) -> str:
    """A spelling compared case-, hyphen- and 'city of'-blind: 'Нур-Султан' ~ 'нур султан'."""
    text = " ".join(name.casefold().replace("ё", "е").replace("-", " ").split())
    for _ in range(2):  # "г. Алматы қ." has both
        text = _SUFFIX.sub("", _PREFIX.sub("", text)).strip()
    return text


@cache
def _index(kind: str) -> dict[str, Place]:
    places = CITIES if kind == "city" else DISTRICTS
    return {normal(spelling): place for place in places for spelling in place.spellings}


def city(name: str) -> Place | None:
    return _index("city").get(normal(name))


def district(name: str) -> Place | None:
    return _index("district").get(normal(name))


def city_key(name: str) -> str:
    """The stored key of a city written any way ("Алматы қ." -> "Almaty"); else the name."""
    place = city(name)
    return place.key if place else name.strip()


def district_key(name: str) -> str:
    place = district(name)
    return place.key if place else name.strip()


def city_name(name: str, lang: str) -> str:
    """A city as the reader writes it; a city not in the table as it is stored."""
    place = city(name)
    return place.name(lang) if place else name


def district_name(name: str, lang: str) -> str:
    """A district in the reader's language; a Russian reader sees a Cyrillic name as the
    owner wrote it ("Сарыарка" stays), a Latin one in Russian ("Medeu" -> "Медеуский")."""
    place = district(name)
    if place is None or (lang == "ru" and _CYRILLIC.search(name)):
        return name
    return place.name(lang)


def city_spellings(name: str) -> frozenset[str]:
    """Lower-case spellings a stored city may have for this one (the SQL filter)."""
    place = city(name)
    return frozenset(s.lower() for s in (place.spellings if place else {name.strip()}))


def district_spellings(name: str) -> frozenset[str]:
    place = district(name)
    return frozenset(s.lower() for s in (place.spellings if place else {name.strip()}))


def same_city(typed: str, stored: str) -> bool:
    """Whether what a guest typed names the stored city (in any language or spelling)."""
    return normal(city_key(typed)) == normal(city_key(stored))


def same_district(typed: str, stored: str) -> bool:
    return normal(district_key(typed)) == normal(district_key(stored))
