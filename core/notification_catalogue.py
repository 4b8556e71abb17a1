"""Default notification texts (Jinja2), per event and language; copied to the DB at start-up.

Owners and ops edit the DB copies; these are the fallbacks and the seed.
"""

from __future__ import annotations

from models.enums import Language

RU, KK, EN = Language.RU, Language.KK, Language.EN

_STAY_RU = (
    "«{{ property_title }}», {{ check_in | day }} — {{ check_out | day }} "
    "({{ nights | counted('nights', 'ru') }})"
)
_STAY_KK = (
    "«{{ property_title }}», {{ check_in | day }} — {{ check_out | day }} "
    "({{ nights | counted('nights', 'kk') }})"
)
_STAY_EN = (
    "“{{ property_title }}”, {{ check_in | day }} — {{ check_out | day }} "
    "({{ nights | counted('nights', 'en') }})"
)

DEFAULT_TEMPLATES: dict[str, dict[Language, str]] = {
    "booking_held": {
        RU: "🕒 Бронь {{ booking_id }} удерживается: " + _STAY_RU + ". Сумма {{ total | kzt }}.",
        KK: "🕒 {{ booking_id }} брондауы сақталды: " + _STAY_KK + ". Сомасы {{ total | kzt }}.",
        EN: "🕒 Booking {{ booking_id }} is held: " + _STAY_EN + ". Total {{ total | kzt }}.",
    },
    "payment_instructions": {
        RU: "💳 Оплатите бронь {{ booking_id }}: {{ total | kzt }} "
        "в течение {{ hold_minutes }} мин. "
        "{% if payment_url %}Ссылка Kaspi: {{ payment_url }}{% else %}Перевод: {{ recipient }}, "
        "{{ bank }}, IBAN {{ iban }}, БИН {{ bin }}. {{ note }}{% endif %}",
        KK: "💳 {{ booking_id }} брондауын {{ hold_minutes }} мин ішінде "
        "төлеңіз: {{ total | kzt }}. "
        "{% if payment_url %}Kaspi сілтемесі: {{ payment_url }}{% else %}Аударым: {{ recipient }}, "
        "{{ bank }}, IBAN {{ iban }}, БСН {{ bin }}. {{ note }}{% endif %}",
        EN: "💳 Please pay {{ total | kzt }} for booking {{ booking_id }} "
        "within {{ hold_minutes }} minutes. "
        "{% if payment_url %}Kaspi link: {{ payment_url }}{% else %}Bank transfer: "
        "{{ recipient }}, {{ bank }}, IBAN {{ iban }}, BIN {{ bin }}. {{ note }}{% endif %}",
    },
    "booking_confirmed": {
        RU: "✅ Оплата получена, бронь {{ booking_id }} подтверждена: "
        + _STAY_RU
        + ". Коды доступа придут перед заездом.",
        KK: "✅ Төлем қабылданды, {{ booking_id }} брондауы расталды: "
        + _STAY_KK
        + ". Кіру кодтары кіру алдында келеді.",
        EN: "✅ Payment received, booking {{ booking_id }} is confirmed: "
        + _STAY_EN
        + ". Access codes arrive before check-in.",
    },
    "booking_auto_cancelled": {
        RU: "⌛ Оплата не поступила вовремя, бронь {{ booking_id }} отменена. Даты снова свободны.",
        KK: "⌛ Төлем уақытында түспеді, {{ booking_id }} брондауы жойылды.",
        EN: "⌛ No payment arrived in time, booking {{ booking_id }} was cancelled.",
    },
    "booking_cancelled": {
        RU: "❌ Бронь {{ booking_id }} отменена. {% if refund %}Возврат: {{ refund | kzt }}."
        "{% else %}Возврат не предусмотрен.{% endif %}",
        KK: "❌ {{ booking_id }} брондауы жойылды. {% if refund %}Қайтарым: {{ refund | kzt }}."
        "{% else %}Қайтарым жоқ.{% endif %}",
        EN: "❌ Booking {{ booking_id }} is cancelled. {% if refund %}Refund: {{ refund | kzt }}."
        "{% else %}No refund is due.{% endif %}",
    },
    "booking_cancelled_by_owner": {
        RU: "❌ Хозяин отменил бронь {{ booking_id }} (" + _STAY_RU + "). "
        "{% if refund %}Мы вернём {{ refund | kzt }}.{% endif %} Приносим извинения.",
        KK: "❌ Иесі {{ booking_id }} брондауын жойды. "
        "{% if refund %}{{ refund | kzt }} қайтарамыз.{% endif %} Кешірім сұраймыз.",
        EN: "❌ The host cancelled booking {{ booking_id }}. "
        "{% if refund %}We will refund {{ refund | kzt }}.{% endif %} We are sorry.",
    },
    "kaspi_link_failed": {
        RU: "⚠️ Ссылка на оплату брони {{ booking_id }} («{{ property_title }}», {{ total | kzt }}) "
        "больше не действует. Бронь ещё держится за вами — нажмите «🔄 Новая ссылка на оплату».",
        KK: "⚠️ {{ booking_id }} брондауының («{{ property_title }}», {{ total | kzt }}) төлем "
        "сілтемесі енді жарамсыз. Бронь әлі сізде — «🔄 Новая ссылка на оплату» басыңыз.",
        EN: "⚠️ The payment link for booking {{ booking_id }} (“{{ property_title }}”, "
        "{{ total | kzt }}) no longer works. The booking is still held for you — tap "
        "“🔄 Новая ссылка на оплату”.",
    },
    "refund_sent": {
        RU: "💸 Возврат {{ refund | kzt }} по брони {{ booking_id }} отправлен.",
        KK: "💸 {{ booking_id }} брондауы бойынша {{ refund | kzt }} қайтарылды.",
        EN: "💸 A refund of {{ refund | kzt }} for booking {{ booking_id }} is on its way.",
    },
    "refund_by_owner": {
        RU: "💸 Kaspi не смог вернуть {{ refund | kzt }} по брони {{ booking_id }} автоматически. "
        "Хозяин вернёт эту сумму переводом — мы передали ему и поддержке.",
        KK: "💸 Kaspi {{ booking_id }} брондауы бойынша {{ refund | kzt }} соманы автоматты түрде "
        "қайтара алмады. Иесі бұл соманы аударыммен қайтарады — біз оған және қолдау қызметіне "
        "хабарладық.",
        EN: "💸 Kaspi could not return {{ refund | kzt }} for booking {{ booking_id }} "
        "automatically. The host will transfer it back to you; we have told them and our support.",
    },
    "owner_refund_by_hand": {
        RU: "⚠️ Kaspi отказал в частичном возврате по брони {{ booking_id }} (" + _STAY_RU + "). "
        "Верните гостю {{ refund | kzt }} переводом (Kaspi → «Переводы»); поддержка в курсе.",
        KK: "⚠️ Kaspi {{ booking_id }} брондауы (" + _STAY_KK + ") бойынша ішінара қайтаруға "
        "рұқсат бермеді. Қонаққа {{ refund | kzt }} аударыммен қайтарыңыз; қолдау қызметі біледі.",
        EN: "⚠️ Kaspi refused a partial refund for booking {{ booking_id }} (" + _STAY_EN + "). "
        "Please transfer {{ refund | kzt }} back to the guest; our support knows.",
    },
    "late_payment_refunded": {
        RU: "💸 Оплата {{ refund | kzt }} по брони {{ booking_id }} (" + _STAY_RU + ") "
        "пришла, когда бронь уже была отменена. Мы вернули всю сумму на ваш Kaspi.",
        KK: "💸 {{ booking_id }} брондауы (" + _STAY_KK + ") жойылғаннан кейін "
        "{{ refund | kzt }} төлем түсті. Бүкіл сома Kaspi шотыңызға қайтарылды.",
        EN: "💸 Your payment of {{ refund | kzt }} for booking {{ booking_id }} (" + _STAY_EN + ") "
        "arrived after the booking was cancelled. We have refunded the full amount to your Kaspi.",
    },
    "stray_payment_refunded": {
        RU: "💸 Мы вернули платёж {{ refund | kzt }} по брони {{ booking_id }} (" + _STAY_RU + "): "
        "он не подошёл к брони (другая сумма или бронь уже оплачена). Деньги придут на ваш Kaspi.",
        KK: "💸 {{ booking_id }} брондауы (" + _STAY_KK + ") бойынша {{ refund | kzt }} төлемді "
        "қайтардық: ол брондауға сәйкес келмеді (басқа сома немесе бронь төленген). "
        "Ақша Kaspi шотыңызға түседі.",
        EN: "💸 We refunded your payment of {{ refund | kzt }} for booking {{ booking_id }} ("
        + _STAY_EN
        + "): it did not fit the booking (another amount, or the booking was already paid). "
        "The money goes back to your Kaspi.",
    },
    "access_codes": {
        RU: "🔑 Коды доступа к «{{ property_title }}» (заезд {{ check_in | day }}):\n"
        "{% if key_safe_code %}Сейф для ключей: {{ key_safe_code }}\n{% endif %}"
        "{% if smart_lock_code %}Электронный замок: {{ smart_lock_code }}\n{% endif %}"
        "Адрес: {{ address }}\n{{ instructions }}",
        KK: "🔑 «{{ property_title }}» кіру кодтары ({{ check_in | day }}):\n"
        "{% if key_safe_code %}Кілт сейфі: {{ key_safe_code }}\n{% endif %}"
        "{% if smart_lock_code %}Электронды құлып: {{ smart_lock_code }}\n{% endif %}"
        "Мекенжай: {{ address }}\n{{ instructions }}",
        EN: "🔑 Access codes for “{{ property_title }}” (check-in {{ check_in | day }}):\n"
        "{% if key_safe_code %}Key safe: {{ key_safe_code }}\n{% endif %}"
        "{% if smart_lock_code %}Smart lock: {{ smart_lock_code }}\n{% endif %}"
        "Address: {{ address }}\n{{ instructions }}",
    },
    "checkin_reminder": {
        RU: "🏠 Завтра заезд: " + _STAY_RU + ".",
        KK: "🏠 Ертең кіру: " + _STAY_KK + ".",
        EN: "🏠 Check-in tomorrow: " + _STAY_EN + ".",
    },
    "review_request": {
        RU: "🙏 Как прошло проживание в «{{ property_title }}»? "
        "Оцените от 1 до 5 и напишите отзыв.",
        KK: "🙏 «{{ property_title }}» қалай болды? 1-ден 5-ке дейін бағалап, пікір жазыңыз.",
        EN: "🙏 How was your stay at “{{ property_title }}”? Rate it 1 to 5 and leave a review.",
    },
    "review_reminder": {
        RU: "⭐ Напоминаем: ваш отзыв о «{{ property_title }}» поможет другим гостям.",
        KK: "⭐ Еске саламыз: «{{ property_title }}» туралы пікіріңіз басқаларға көмектеседі.",
        EN: "⭐ A reminder: your review of “{{ property_title }}” helps other guests.",
    },
    "owner_new_booking": {
        RU: "📥 Новая оплаченная бронь {{ booking_id }}: " + _STAY_RU + ", {{ total | kzt }}.",
        KK: "📥 Жаңа төленген бронь {{ booking_id }}: " + _STAY_KK + ", {{ total | kzt }}.",
        EN: "📥 New paid booking {{ booking_id }}: " + _STAY_EN + ", {{ total | kzt }}.",
    },
    "owner_invoice_booking": {
        RU: "🧾 Новая бронь {{ booking_id }} ждёт оплаты по счёту: " + _STAY_RU + ", "
        "{{ total | kzt }}. Когда перевод поступит, подтвердите оплату: «📑 Брони» → "
        "«📥 Ожидают оплаты по счёту».",
        KK: "🧾 Жаңа бронь {{ booking_id }} шот бойынша төлемді күтуде: " + _STAY_KK + ", "
        "{{ total | kzt }}. Аударым түскенде, төлемді растаңыз: «📑 Броньдар» → "
        "«📥 Шот бойынша төлемді күтуде».",
        EN: "🧾 New booking {{ booking_id }} awaits payment by invoice: " + _STAY_EN + ", "
        "{{ total | kzt }}. Once the transfer arrives, confirm it: “📑 Bookings” → "
        "“📥 Awaiting invoice payment”.",
    },
    "owner_booking_cancelled": {
        RU: "📤 Бронь {{ booking_id }} отменена: " + _STAY_RU + ". Даты снова свободны.",
        KK: "📤 {{ booking_id }} брондауы жойылды: " + _STAY_KK + ".",
        EN: "📤 Booking {{ booking_id }} was cancelled: " + _STAY_EN + ". Dates are free again.",
    },
    "owner_booking_auto_cancelled": {
        RU: "⌛ Бронь {{ booking_id }} не оплачена и отменена автоматически: " + _STAY_RU + ".",
        KK: "⌛ {{ booking_id }} брондауы төленбей, автоматты түрде жойылды.",
        EN: "⌛ Booking {{ booking_id }} was not paid and was cancelled automatically.",
    },
    "update_photos_needed": {
        RU: "📸 Фото «{{ property_title }}» не обновлялись {{ days }} дн. "
        "Свежие фото повышают спрос.",
        KK: "📸 «{{ property_title }}» суреттері {{ days }} күн жаңартылмады.",
        EN: "📸 Photos of “{{ property_title }}” are {{ days }} days old. Fresh photos sell.",
    },
    "update_price_needed": {
        RU: "💡 Цена «{{ property_title }}» не менялась {{ days }} дн., загрузка {{ occupancy }}%. "
        "Попробуйте скорректировать цену.",
        KK: "💡 «{{ property_title }}» бағасы {{ days }} күн өзгермеді, толым {{ occupancy }}%.",
        EN: "💡 The price of “{{ property_title }}” is unchanged for {{ days }} days and occupancy "
        "is {{ occupancy }}%. Consider adjusting it.",
    },
    "high_ko_factor": {
        RU: "⚠️ Доля отмен по «{{ property_title }}» за 30 дней — {{ ko_percent }}%. "
        "Проверьте описание, фото и цену.",
        KK: "⚠️ «{{ property_title }}» бойынша 30 күндегі бас тарту үлесі — {{ ko_percent }}%.",
        EN: "⚠️ Cancellations for “{{ property_title }}” over 30 days: {{ ko_percent }}%.",
    },
    "ical_conflict": {
        RU: "⚠️ Календарь «{{ calendar_name }}» закрывает {{ check_in | day }} — "
        "{{ check_out | day }} в «{{ property_title }}», но эти ночи уже в подтверждённой брони "
        "{{ booking_id }}. Бронь сохранена; освободите даты в «{{ calendar_name }}».",
        KK: "⚠️ «{{ calendar_name }}» күнтізбесі «{{ property_title }}» үшін "
        "{{ check_in | day }} — {{ check_out | day }} күндерін жабады, бірақ бұл түндер "
        "{{ booking_id }} расталған брондауында. Брондау сақталды; «{{ calendar_name }}» "
        "ішінде күндерді босатыңыз.",
        EN: "⚠️ Calendar “{{ calendar_name }}” blocks {{ check_in | day }} — {{ check_out | day }} "
        "at “{{ property_title }}”, but those nights belong to confirmed booking {{ booking_id }}. "
        "The booking stays; free the dates in “{{ calendar_name }}”.",
    },
}

# Events whose rendered text carries secrets: their context is never stored.
SECRET_EVENTS = frozenset({"access_codes"})

# Reply buttons that travel with an event's message: a review is rated by pressing one.
RATING_BUTTONS = ["⭐ 1", "⭐ 2", "⭐ 3", "⭐ 4", "⭐ 5"]
# The guest asks for a fresh Kaspi link by pressing it (both bots know the text).
NEW_PAYMENT_LINK_BUTTON = "🔄 Новая ссылка на оплату"
EVENT_BUTTONS: dict[str, list[str]] = {
    "kaspi_link_failed": [NEW_PAYMENT_LINK_BUTTON],
    "review_request": RATING_BUTTONS,
    "review_reminder": RATING_BUTTONS,
}
