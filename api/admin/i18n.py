"""The web admin's languages: Russian first, Kazakh and English selectable.

sqladmin (0.32+) translates its own interface through Babel and keeps the visitor's choice
in a cookie (`?lang=kk` switches it); it ships Russian and English but no Kazakh, so the
Kazakh catalogue of its strings lives in translations/kk.po and is registered here. Our own
words (menu, column titles, headings, values) come from `CATALOGUE`; a `Text` is a string
that shows itself in the language of the request being rendered, so it can stand wherever
sqladmin expects a plain label (view names, column labels, form labels).
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations
from markupsafe import Markup, escape
from sqladmin import i18n as sqladmin_i18n
from sqladmin.i18n import I18nConfig, get_locale

LANGUAGES = ("ru", "kk", "en")
DEFAULT = "ru"
COOKIE = "zg_lang"
_HERE = Path(__file__).resolve().parent / "translations"
# sqladmin's own catalogues, before ours go in front of them (install() may run again).
_BUILTIN = dict(sqladmin_i18n.translations)

# English text → (Russian, Kazakh). English is the key itself.
CATALOGUE: dict[str, tuple[str, str]] = {
    # menu and headings
    "Home": ("Главная", "Басты бет"),
    "Apartment": ("Квартира", "Пәтер"),
    "Apartments": ("Квартиры", "Пәтерлер"),
    "Photo": ("Фото", "Фото"),
    "Photos": ("Фотографии", "Фотосуреттер"),
    "Booking": ("Бронь", "Бронь"),
    "Bookings": ("Брони", "Броньдар"),
    "Review": ("Отзыв", "Пікір"),
    "Reviews": ("Отзывы", "Пікірлер"),
    "User": ("Пользователь", "Пайдаланушы"),
    "Users": ("Пользователи", "Пайдаланушылар"),
    "Agency": ("Агентство", "Агенттік"),
    "Agencies": ("Агентства", "Агенттіктер"),
    "Template": ("Шаблон", "Үлгі"),
    "Templates": ("Шаблоны уведомлений", "Хабарлама үлгілері"),
    "External calendar": ("Внешний календарь", "Сыртқы күнтізбе"),
    "External calendars": ("Внешние календари", "Сыртқы күнтізбелер"),
    "Analytics": ("Аналитика", "Аналитика"),
    # columns
    "No.": ("№", "№"),
    "Title": ("Название", "Атауы"),
    "City": ("Город", "Қала"),
    "District": ("Район", "Аудан"),
    "Class": ("Класс", "Сынып"),
    "Rooms": ("Комнат", "Бөлме"),
    "Area, m²": ("Площадь, м²", "Аумағы, м²"),
    "Address": ("Адрес", "Мекенжай"),
    "Description": ("Описание", "Сипаттама"),
    "Max guests": ("Гостей, не больше", "Қонақтар, ең көбі"),
    "Price per night": ("Цена за ночь", "Түнгі баға"),
    "Cleaning fee": ("Уборка", "Тазалау"),
    "Min nights": ("Ночей, от", "Түндер, кемінде"),
    "Max nights": ("Ночей, до", "Түндер, ең көбі"),
    "Check-in time": ("Время заезда", "Кіру уақыты"),
    "Check-out time": ("Время выезда", "Шығу уақыты"),
    "Cancellation policy": ("Условия отмены", "Бас тарту шарттары"),
    "Status": ("Статус", "Күйі"),
    "Shown to guests": ("Показывается гостям", "Қонақтарға көрінеді"),
    "Check-in instructions": ("Инструкция по заселению", "Кіру нұсқаулығы"),
    "Owner": ("Владелец", "Иесі"),
    "Created": ("Создано", "Құрылған"),
    "Updated": ("Изменено", "Өзгертілген"),
    "Price changed": ("Цена изменена", "Баға өзгерген"),
    "Photos changed": ("Фото изменены", "Фото өзгерген"),
    "Guest": ("Гость", "Қонақ"),
    "Contact phone": ("Телефон для связи", "Байланыс телефоны"),
    "Check-in": ("Заезд", "Кіру"),
    "Check-out": ("Выезд", "Шығу"),
    "Nights": ("Ночей", "Түн"),
    "Guests": ("Гостей", "Қонақтар"),
    "Total": ("Сумма", "Сома"),
    "Channel": ("Канал", "Арна"),
    "Payment": ("Оплата", "Төлем"),
    "Pay by": ("Оплатить до", "Төлеу мерзімі"),
    "Confirmed": ("Подтверждено", "Расталған"),
    "Cancelled": ("Отменено", "Бас тартылған"),
    "Cancelled by": ("Кто отменил", "Кім бас тартты"),
    "Reason": ("Причина", "Себебі"),
    "Comment": ("Комментарий", "Түсініктеме"),
    "Refund": ("Возврат", "Қайтарым"),
    "Codes sent": ("Коды отправлены", "Кодтар жіберілген"),
    "Completed": ("Завершено", "Аяқталған"),
    "URL": ("Ссылка", "Сілтеме"),
    "Thumbnail": ("Миниатюра", "Шағын сурет"),
    "Telegram file": ("Файл Telegram", "Telegram файлы"),
    "Position": ("Порядок", "Реті"),
    "Rating": ("Оценка", "Баға"),
    "Text": ("Текст", "Мәтін"),
    "Photo links": ("Ссылки на фото", "Фото сілтемелері"),
    "Public reply": ("Публичный ответ", "Жария жауап"),
    "Replied": ("Ответ дан", "Жауап берілген"),
    "Removed": ("Удалён", "Жойылған"),
    "Removed by": ("Кто удалил", "Кім жойды"),
    "Reason for removal": ("Причина удаления", "Жою себебі"),
    "Name": ("Имя", "Аты"),
    "Phone": ("Телефон", "Телефон"),
    "Phone verified": ("Телефон подтверждён", "Телефон расталған"),
    "Telegram ID": ("Telegram ID", "Telegram ID"),
    "WhatsApp": ("WhatsApp", "WhatsApp"),
    "Language": ("Язык", "Тіл"),
    "Role": ("Роль", "Рөлі"),
    "Email": ("Эл. почта", "Эл. пошта"),
    "Last WhatsApp message": ("Последнее сообщение WhatsApp", "Соңғы WhatsApp хабары"),
    "Event": ("Событие", "Оқиға"),
    "Subject": ("Тема", "Тақырып"),
    "Body": ("Текст", "Мәтін"),
    "Feed URL": ("Ссылка на календарь", "Күнтізбе сілтемесі"),
    "Last sync": ("Последняя синхронизация", "Соңғы синхрондау"),
    "Last error": ("Последняя ошибка", "Соңғы қате"),
    "Workflow": ("Процесс", "Процесс"),
    # dashboard
    "Today": ("Сегодня", "Бүгін"),
    "Arrivals today": ("Заезды сегодня", "Бүгін кіретіндер"),
    "Departures today": ("Выезды сегодня", "Бүгін шығатындар"),
    "Invoices waiting for confirmation": ("Счета ждут подтверждения", "Растауды күткен шоттар"),
    "Occupancy of the next 30 nights": (
        "Загрузка следующих 30 ночей",
        "Келесі 30 түннің толымдылығы",
    ),
    "Revenue of the month": ("Выручка за месяц", "Айдың түсімі"),
    "{booked} of {available} nights booked": (
        "занято {booked} из {available} ночей",
        "{available} түннің {booked} түні бос емес",
    ),
    "{count} paid bookings with check-in in {month}": (
        "оплаченных броней с заездом в {month}: {count}",
        "{month} кіретін төленген броньдар: {count}",
    ),
    "Nobody arrives today.": ("Сегодня никто не заезжает.", "Бүгін ешкім кірмейді."),
    "Nobody leaves today.": ("Сегодня никто не выезжает.", "Бүгін ешкім шықпайды."),
    "No invoice is waiting.": ("Неоплаченных счетов нет.", "Күтудегі шот жоқ."),
    "Next 30 nights by apartment": (
        "Следующие 30 ночей по квартирам",
        "Пәтерлер бойынша келесі 30 түн",
    ),
    # analytics
    "Analytics for {start} — {end}": (
        "Аналитика за {start} — {end}",
        "{start} — {end} аналитикасы",
    ),
    "Figures": ("Показатели", "Көрсеткіштер"),
    "Revenue by apartment": ("Выручка по квартирам", "Пәтерлер бойынша түсім"),
    "Occupancy by apartment": ("Загрузка по квартирам", "Пәтерлер бойынша толымдылық"),
    "Top guests": ("Лучшие гости", "Үздік қонақтар"),
    "Cancellations by reason": ("Отмены по причинам", "Себептер бойынша бас тартулар"),
    "No cancellations in this period.": ("Отмен за период нет.", "Бұл кезеңде бас тарту жоқ."),
    "No paid bookings in this period.": (
        "Оплаченных броней за период нет.",
        "Бұл кезеңде төленген бронь жоқ.",
    ),
    "Share": ("Доля", "Үлесі"),
    "Paid bookings": ("Оплаченные брони", "Төленген броньдар"),
    "Revenue": ("Выручка", "Түсім"),
    "CSV: general": ("CSV: общий", "CSV: жалпы"),
    "CSV: realtors": ("CSV: риелторы", "CSV: риелторлар"),
    "CSV: agencies": ("CSV: агентства", "CSV: агенттіктер"),
    "7 days": ("7 дней", "7 күн"),
    "30 days": ("30 дней", "30 күн"),
    "This month": ("Этот месяц", "Осы ай"),
    "Last month": ("Прошлый месяц", "Өткен ай"),
    "This year": ("Этот год", "Осы жыл"),
    "metric.revenue": ("Выручка", "Түсім"),
    "metric.gross": ("Оплачено гостями", "Қонақтар төлегені"),
    "metric.refunds": ("Возвраты", "Қайтарымдар"),
    "metric.bookings": ("Броней всего", "Барлық броньдар"),
    "metric.paid_bookings": ("Оплаченных броней", "Төленген броньдар"),
    "metric.cancellations": ("Отмен", "Бас тартулар"),
    "metric.cancellation_share": ("Доля отмен", "Бас тарту үлесі"),
    "metric.expired_holds": ("Неоплаченных (истекли)", "Төленбеген (мерзімі өтті)"),
    "metric.booked_nights": ("Занятых ночей", "Бос емес түндер"),
    "metric.available_nights": ("Доступных ночей", "Қолжетімді түндер"),
    "metric.occupancy": ("Загрузка", "Толымдылық"),
    "metric.apartments": ("Квартир", "Пәтерлер"),
    "metric.new_bookings": ("Забронировано в периоде", "Кезеңде броньдалғаны"),
    "metric.new_paid_bookings": ("Из них оплачено", "Оның ішінде төленгені"),
    "metric.new_revenue": ("Выручка этих броней", "Олардың түсімі"),
    "metric.new_gross": ("Оплачено по ним", "Олар бойынша төленгені"),
    "metric.new_refunds": ("Возвраты по ним", "Олар бойынша қайтарымдар"),
    "reason.plans_changed": ("Изменились планы", "Жоспар өзгерді"),
    "reason.found_another": ("Нашёл другое жильё", "Басқа тұрғын үй тапты"),
    "reason.price": ("Цена", "Бағасы"),
    "reason.other": ("Другое", "Басқа"),
    "reason.owner_unavailable": ("Владелец не может принять", "Иесі қабылдай алмайды"),
    "reason.payment_timeout": ("Не оплачено вовремя", "Уақытында төленбеді"),
    # charts
    "Price history": ("История цены", "Баға тарихы"),
    "No price changes yet.": ("Цена ещё не менялась.", "Баға әлі өзгерген жоқ."),
    "Next {n} nights": ("Следующие {n} ночей", "Келесі {n} түн"),
    "free": ("свободно", "бос"),
    "booked": ("бронь", "брондалған"),
    "closed by the owner": ("закрыто владельцем", "иесі жапқан"),
    "busy in another calendar": ("занято в другом календаре", "басқа күнтізбеде бос емес"),
    "Mon": ("Пн", "Дс"),
    "Tue": ("Вт", "Сс"),
    "Wed": ("Ср", "Ср"),
    "Thu": ("Чт", "Бс"),
    "Fri": ("Пт", "Жм"),
    "Sat": ("Сб", "Сн"),
    "Sun": ("Вс", "Жс"),
    # values
    "yes": ("да", "иә"),
    "no": ("нет", "жоқ"),
    "status.pending_payment": ("ждёт оплаты", "төлемді күтуде"),
    "status.confirmed": ("подтверждена", "расталды"),
    "status.completed": ("завершена", "аяқталды"),
    "status.cancelled": ("отменена", "бас тартылды"),
    "status.auto_cancelled": ("не оплачена вовремя", "уақытында төленбеді"),
    "status.free": ("свободна", "бос"),
    "status.occupied": ("занята", "бос емес"),
    "channel.telegram": ("Telegram", "Telegram"),
    "channel.whatsapp": ("WhatsApp", "WhatsApp"),
    "channel.api": ("сайт / API", "сайт / API"),
    "method.kaspi": ("Kaspi", "Kaspi"),
    "method.manual": ("по счёту", "шот бойынша"),
    "class.economy": ("эконом", "эконом"),
    "class.comfort": ("комфорт", "жайлы"),
    "class.business": ("бизнес", "бизнес"),
    "class.premium": ("премиум", "премиум"),
    "policy.flexible": ("гибкие", "икемді"),
    "policy.moderate": ("умеренные", "орташа"),
    "policy.strict": ("строгие", "қатаң"),
    "policy.non_refundable": ("без возврата", "қайтарымсыз"),
    "role.guest": ("гость", "қонақ"),
    "role.admin": ("владелец / риелтор", "иесі / риелтор"),
    "role.super_admin": ("администратор", "әкімші"),
    "role.super_user": ("суперпользователь", "суперпайдаланушы"),
    "by.guest": ("гость", "қонақ"),
    "by.owner": ("владелец", "иесі"),
    "by.admin": ("администратор", "әкімші"),
    "by.system": ("система", "жүйе"),
    "city.Almaty": ("Алматы", "Алматы"),
    "city.Astana": ("Астана", "Астана"),
    "city.Shymkent": ("Шымкент", "Шымкент"),
    "language.ru": ("русский", "орыс тілі"),
    "language.kk": ("казахский", "қазақ тілі"),
    "language.en": ("английский", "ағылшын тілі"),
    # prices and rules
    "Prices and rules": ("Цены и правила", "Бағалар мен ережелер"),
    "Saved: search and quotes use the new prices now.": (
        "Сохранено: поиск и расчёты уже используют новые цены.",
        "Сақталды: іздеу мен есептеулер жаңа бағаларды қолданады.",
    ),
    "Base price": ("Базовая цена", "Негізгі баға"),
    "Weekend price": ("Цена выходных", "Демалыс бағасы"),
    "Stay discounts": ("Скидки за срок", "Мерзім жеңілдіктері"),
    "One per line: nights and percent, e.g. 7 10 (7+ nights −10 %).": (
        "По одной в строке: ночи и процент, например 7 10 (от 7 ночей −10 %).",
        "Әр жолға біреу: түн мен пайыз, мысалы 7 10 (7 түннен −10 %).",
    ),
    "Seasons": ("Сезоны", "Маусымдар"),
    "One per line: dates, nightly price, optionally min N.": (
        "По одному в строке: даты, цена ночи, при желании «мин N».",
        "Әр жолға біреу: күндер, түн бағасы, қаласаңыз «кемінде N».",
    ),
    "Holiday nights": ("Праздничные ночи", "Мереке түндері"),
    "Extra guest fee per night": ("Доплата за доп. гостя за ночь", "Қосымша қонақ үшін түніне"),
    "Guests included": ("Гостей включено", "Қосылған қонақтар"),
    "Save": ("Сохранить", "Сақтау"),
    "Advance notice, days": ("Предупреждать за, дней", "Алдын ала, күн"),
    "Same-day check-in until (hour)": (
        "Заезд в тот же день до (час)",
        "Сол күні кіру (сағатқа дейін)",
    ),
    "Nights to prepare after a stay": (
        "Ночей на подготовку после гостей",
        "Қонақтардан кейін дайындық түндері",
    ),
    "What a guest would pay": ("Сколько заплатит гость", "Қонақ қанша төлейді"),
    "{n} nights from {day}": ("{n} ноч. с {day}", "{day} бастап {n} түн"),
    "Not allowed.": ("Нет доступа.", "Қол жетімсіз."),
    "band.weekend": ("выходные", "демалыс"),
    "band.season": ("сезон", "маусым"),
    "band.date": ("праздник", "мереке"),
    "night.free": ("свободно", "бос"),
    "night.booking": ("бронь", "бронь"),
    "night.owner": ("закрыто владельцем", "иесі жапқан"),
    "night.ical": ("занято в другом календаре", "басқа күнтізбеде бос емес"),
    "night.turnover": ("подготовка после гостей", "қонақтардан кейін дайындық"),
    "preparation after a stay": ("подготовка после гостей", "қонақтардан кейін дайындық"),
    "month.1": ("Январь", "Қаңтар"),
    "month.2": ("Февраль", "Ақпан"),
    "month.3": ("Март", "Наурыз"),
    "month.4": ("Апрель", "Сәуір"),
    "month.5": ("Май", "Мамыр"),
    "month.6": ("Июнь", "Маусым"),
    "month.7": ("Июль", "Шілде"),
    "month.8": ("Август", "Тамыз"),
    "month.9": ("Сентябрь", "Қыркүйек"),
    "month.10": ("Октябрь", "Қазан"),
    "month.11": ("Ноябрь", "Қараша"),
    "month.12": ("Декабрь", "Желтоқсан"),
}


# English words of the value keys ("status.confirmed"), where the key's tail is not enough.
ENGLISH: dict[str, str] = {
    "metric.gross": "Paid by guests",
    "metric.bookings": "Bookings, all",
    "metric.paid_bookings": "Paid bookings",
    "metric.cancellation_share": "Cancellation share",
    "metric.expired_holds": "Unpaid holds (expired)",
    "metric.booked_nights": "Booked nights",
    "metric.available_nights": "Available nights",
    "metric.new_bookings": "Booked in the period",
    "metric.new_paid_bookings": "Of them paid",
    "metric.new_revenue": "Their revenue",
    "metric.new_gross": "Paid for them",
    "metric.new_refunds": "Their refunds",
    "reason.plans_changed": "Plans changed",
    "reason.found_another": "Found another place",
    "reason.owner_unavailable": "Owner cannot host",
    "reason.payment_timeout": "Not paid in time",
    "status.pending_payment": "awaiting payment",
    "status.auto_cancelled": "not paid in time",
    "channel.api": "website / API",
    "method.manual": "invoice",
    "policy.non_refundable": "non-refundable",
    "role.admin": "owner / realtor",
    "role.super_admin": "administrator",
    "role.super_user": "super user",
    "language.ru": "Russian",
    "language.kk": "Kazakh",
    "language.en": "English",
    "night.owner": "closed by the owner",
    "night.ical": "busy in another calendar",
    "night.turnover": "preparation after a stay",
    "month.1": "January",
    "month.2": "February",
    "month.3": "March",
    "month.4": "April",
    "month.5": "May",
    "month.6": "June",
    "month.7": "July",
    "month.8": "August",
    "month.9": "September",
    "month.10": "October",
    "month.11": "November",
    "month.12": "December",
}


def _is_value_key(key: str) -> bool:
    return "." in key and " " not in key and not key.endswith(".")


def t(key: str, **values: Any) -> str:
    """`key` in the current request's language; English is the key itself (value keys such
    as "status.confirmed": their English words). Unknown keys show as they are."""
    lang = get_locale()
    words = CATALOGUE.get(key)
    if words is not None and lang in ("ru", "kk"):
        text = words[0] if lang == "ru" else words[1]
    elif _is_value_key(key):
        text = ENGLISH.get(key) or key.split(".", 1)[1].replace("_", " ")
        text = text[0].upper() + text[1:] if key.startswith(("metric.", "reason.")) else text
    else:
        text = key
    return text.format(**values) if values else text


class Text(str):
    """A catalogue key that renders in the current language wherever it is shown: through
    str(), f-strings and %-formatting, and Jinja's / WTForms' escaping (`__html__`)."""

    __slots__ = ()

    def __str__(self) -> str:
        return t(str.__str__(self))

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)

    def __html__(self) -> Markup:
        return escape(str(self))


def _catalogue(lang: str) -> Translations:
    with (_HERE / f"{lang}.po").open("rb") as source:
        catalog = read_po(source, locale=lang)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled, domain="admin")


def install() -> I18nConfig:
    """Registers our catalogues with sqladmin (Kazakh whole, small Russian and English
    overrides before its own) and returns the configuration for `Admin`."""
    for lang in LANGUAGES:
        ours = _catalogue(lang)
        builtin = _BUILTIN.get(lang)
        if builtin is not None:
            ours.add_fallback(builtin)
        sqladmin_i18n.translations[lang] = ours
        if lang not in sqladmin_i18n.SUPPORTED_LOCALES:
            sqladmin_i18n.SUPPORTED_LOCALES.append(lang)
    return I18nConfig(
        default_locale=DEFAULT,
        language_cookie_name=COOKIE,
        language_header_name=None,  # Russian unless the person chose otherwise
        language_switcher=list(LANGUAGES),
    )
