"""Texts of the statistics screens and the column titles of the CSV export."""

TEXTS: dict[str, dict[str, str]] = {
    "stats_choose_period": {
        "ru": "📊 Статистика. Выберите период:",
        "kk": "📊 Статистика. Кезеңді таңдаңыз:",
        "en": "📊 Statistics. Choose a period:",
    },
    "stats_choose_period_hint": {
        "ru": "Не понял период. Выберите его кнопкой ниже.",
        "kk": "Кезеңді түсінбедім. Төмендегі батырманы басыңыз.",
        "en": "I did not get the period. Please choose it with a button below.",
    },
    "stats_choose_action_hint": {
        "ru": "Выберите режим, экспорт в CSV или другой период кнопкой ниже.",
        "kk": "Төмендегі батырмамен режимді, CSV экспортын немесе басқа кезеңді таңдаңыз.",
        "en": "Choose a view, the CSV export or another period with a button below.",
    },
    "btn_stats_7d": {"ru": "7 дней", "kk": "7 күн", "en": "7 days"},
    "btn_stats_30d": {"ru": "30 дней", "kk": "30 күн", "en": "30 days"},
    "btn_stats_month": {"ru": "Этот месяц", "kk": "Осы ай", "en": "This month"},
    "btn_stats_prev_month": {"ru": "Прошлый месяц", "kk": "Өткен ай", "en": "Last month"},
    "btn_stats_year": {"ru": "Этот год", "kk": "Осы жыл", "en": "This year"},
    "btn_stats_general": {"ru": "📈 Общая", "kk": "📈 Жалпы", "en": "📈 General"},
    "btn_stats_realtors": {"ru": "🧑‍💼 Риелторы", "kk": "🧑‍💼 Риелторлар", "en": "🧑‍💼 Realtors"},
    "btn_stats_agencies": {"ru": "🏢 Агентства", "kk": "🏢 Агенттіктер", "en": "🏢 Agencies"},
    "btn_stats_export": {
        "ru": "📥 Экспорт в CSV",
        "kk": "📥 CSV-ге экспорттау",
        "en": "📥 Export to CSV",
    },
    "btn_stats_period": {
        "ru": "📅 Другой период",
        "kk": "📅 Басқа кезең",
        "en": "📅 Another period",
    },
    "stats_header": {
        "ru": "📊 Статистика за {start} — {end}",
        "kk": "📊 {start} — {end} аралығындағы статистика",
        "en": "📊 Statistics for {start} — {end}",
    },
    "stats_overview": {
        "ru": "🛏 Проживание в периоде (по дате заезда и по ночам):\n"
        "💰 Выручка: {revenue} (оплачено {gross}, возвраты {refunds})\n"
        "📑 Бронирований: {bookings}, оплачено: {paid}\n"
        "❌ Отмен: {cancellations} ({share}), не оплачено вовремя: {expired}\n"
        "🛏 Загрузка: {occupancy} ({booked} из {available} ночей)\n\n"
        "🆕 Забронировано в периоде (по дате брони):\n"
        "📑 Новых броней: {new_bookings}, оплачено: {new_paid}\n"
        "💰 Их выручка: {new_revenue} (оплачено {new_gross}, возвраты {new_refunds})\n\n"
        "🏠 Квартир: {apartments}",
        "kk": "🛏 Кезеңдегі тұру (кіру күні және түндер бойынша):\n"
        "💰 Түсім: {revenue} (төленді {gross}, қайтарымдар {refunds})\n"
        "📑 Броньдар: {bookings}, төленгені: {paid}\n"
        "❌ Бас тартулар: {cancellations} ({share}), уақытында төленбегені: {expired}\n"
        "🛏 Толымдылық: {occupancy} ({booked}/{available} түн)\n\n"
        "🆕 Кезеңде броньдалғаны (бронь күні бойынша):\n"
        "📑 Жаңа броньдар: {new_bookings}, төленгені: {new_paid}\n"
        "💰 Олардың түсімі: {new_revenue} (төленді {new_gross}, қайтарымдар {new_refunds})\n\n"
        "🏠 Пәтерлер: {apartments}",
        "en": "🛏 Stays in the period (by check-in day and by night):\n"
        "💰 Revenue: {revenue} (paid {gross}, refunds {refunds})\n"
        "📑 Bookings: {bookings}, paid: {paid}\n"
        "❌ Cancellations: {cancellations} ({share}), not paid in time: {expired}\n"
        "🛏 Occupancy: {occupancy} ({booked} of {available} nights)\n\n"
        "🆕 Booked in the period (by booking date):\n"
        "📑 New bookings: {new_bookings}, paid: {new_paid}\n"
        "💰 Their revenue: {new_revenue} (paid {new_gross}, refunds {new_refunds})\n\n"
        "🏠 Apartments: {apartments}",
    },
    "stats_top_apartments": {
        "ru": "🏆 Топ-5 квартир по выручке:",
        "kk": "🏆 Түсім бойынша үздік 5 пәтер:",
        "en": "🏆 Top 5 apartments by revenue:",
    },
    "stats_top_apartment_line": {
        "ru": "{n}. «{title}» — {revenue}, оплачено броней: {bookings}, загрузка {occupancy}",
        "kk": "{n}. «{title}» — {revenue}, төленген броньдар: {bookings}, толымдылық {occupancy}",
        "en": "{n}. “{title}” — {revenue}, paid bookings: {bookings}, occupancy {occupancy}",
    },
    "stats_top_guests": {
        "ru": "👥 Топ-5 гостей по бронированиям:",
        "kk": "👥 Броньдар саны бойынша үздік 5 қонақ:",
        "en": "👥 Top 5 guests by bookings:",
    },
    "stats_top_guest_line": {
        "ru": "{n}. {name}, {phone} — оплачено броней: {bookings}, {revenue}",
        "kk": "{n}. {name}, {phone} — төленген броньдар: {bookings}, {revenue}",
        "en": "{n}. {name}, {phone} — paid bookings: {bookings}, {revenue}",
    },
    "stats_top_realtors": {
        "ru": "🧑‍💼 Топ-5 риелторов по выручке:",
        "kk": "🧑‍💼 Түсім бойынша үздік 5 риелтор:",
        "en": "🧑‍💼 Top 5 realtors by revenue:",
    },
    "stats_top_realtor_line": {
        "ru": "{n}. {name} ({agency}) — {revenue}, оплачено броней: {bookings}",
        "kk": "{n}. {name} ({agency}) — {revenue}, төленген броньдар: {bookings}",
        "en": "{n}. {name} ({agency}) — {revenue}, paid bookings: {bookings}",
    },
    "stats_reasons": {
        "ru": "🗂 Отмены по причинам:",
        "kk": "🗂 Себептер бойынша бас тартулар:",
        "en": "🗂 Cancellations by reason:",
    },
    "stats_reason_line": {
        "ru": "• {reason}: {count}, возвраты {refunds}",
        "kk": "• {reason}: {count}, қайтарымдар {refunds}",
        "en": "• {reason}: {count}, refunds {refunds}",
    },
    "stats_nothing": {"ru": "— нет данных", "kk": "— дерек жоқ", "en": "— no data"},
    "stats_realtors_title": {
        "ru": "🧑‍💼 Риелторы за {start} — {end}:",
        "kk": "🧑‍💼 {start} — {end} аралығындағы риелторлар:",
        "en": "🧑‍💼 Realtors for {start} — {end}:",
    },
    "stats_agencies_title": {
        "ru": "🏢 Агентства за {start} — {end}:",
        "kk": "🏢 {start} — {end} аралығындағы агенттіктер:",
        "en": "🏢 Agencies for {start} — {end}:",
    },
    "stats_realtor_line": {
        "ru": "{n}. {name} ({agency}) — выручка {revenue}; броней {bookings}, оплачено "
        "{paid}; отмен {cancellations} ({share}); загрузка {occupancy}; квартир {apartments}; "
        "забронировано в периоде {new_bookings} на {new_revenue}",
        "kk": "{n}. {name} ({agency}) — түсім {revenue}; броньдар {bookings}, төленгені "
        "{paid}; бас тартулар {cancellations} ({share}); толымдылық {occupancy}; "
        "пәтерлер {apartments}; кезеңде броньдалғаны {new_bookings}, {new_revenue}",
        "en": "{n}. {name} ({agency}) — revenue {revenue}; bookings {bookings}, paid {paid}; "
        "cancellations {cancellations} ({share}); occupancy {occupancy}; "
        "apartments {apartments}; booked in the period {new_bookings} for {new_revenue}",
    },
    "stats_agency_line": {
        "ru": "{n}. {name} — выручка {revenue}; риелторов {realtors}, квартир {apartments}; "
        "броней {bookings}, оплачено {paid}; отмен {cancellations} ({share}); "
        "загрузка {occupancy}; забронировано в периоде {new_bookings} на {new_revenue}",
        "kk": "{n}. {name} — түсім {revenue}; риелторлар {realtors}, пәтерлер {apartments}; "
        "броньдар {bookings}, төленгені {paid}; бас тартулар {cancellations} ({share}); "
        "толымдылық {occupancy}; кезеңде броньдалғаны {new_bookings}, {new_revenue}",
        "en": "{n}. {name} — revenue {revenue}; realtors {realtors}, apartments {apartments}; "
        "bookings {bookings}, paid {paid}; cancellations {cancellations} ({share}); "
        "occupancy {occupancy}; booked in the period {new_bookings} for {new_revenue}",
    },
    "stats_more": {
        "ru": "…и ещё {count} — полный список в CSV.",
        "kk": "…және тағы {count} — толық тізім CSV-де.",
        "en": "…and {count} more — the full list is in the CSV.",
    },
    "stats_no_agency": {"ru": "Без агентства", "kk": "Агенттіксіз", "en": "No agency"},
    "stats_mode_general": {"ru": "общая", "kk": "жалпы", "en": "general"},
    "stats_mode_realtors": {"ru": "риелторы", "kk": "риелторлар", "en": "realtors"},
    "stats_mode_agencies": {"ru": "агентства", "kk": "агенттіктер", "en": "agencies"},
    "stats_csv_caption": {
        "ru": "📥 Статистика ({mode}) за {start} — {end}",
        "kk": "📥 {start} — {end} статистикасы ({mode})",
        "en": "📥 Statistics ({mode}) for {start} — {end}",
    },
    "stats_reason_plans_changed": {
        "ru": "Изменились планы",
        "kk": "Жоспар өзгерді",
        "en": "Plans changed",
    },
    "stats_reason_found_another": {
        "ru": "Нашли другое жильё",
        "kk": "Басқа баспана табылды",
        "en": "Found another place",
    },
    "stats_reason_price": {"ru": "Цена", "kk": "Баға", "en": "Price"},
    "stats_reason_other": {"ru": "Другое", "kk": "Басқа", "en": "Other"},
    "stats_reason_owner_unavailable": {
        "ru": "Квартира недоступна (владелец)",
        "kk": "Пәтер қолжетімсіз (иесі)",
        "en": "Apartment unavailable (owner)",
    },
    "stats_reason_payment_timeout": {
        "ru": "Не оплачено вовремя",
        "kk": "Уақытында төленбеді",
        "en": "Not paid in time",
    },
    # Column titles of the CSV export (services/analytics_csv.py asks for them by key).
    "csv_metric": {"ru": "Показатель", "kk": "Көрсеткіш", "en": "Metric"},
    "csv_value": {"ru": "Значение", "kk": "Мәні", "en": "Value"},
    "csv_period_start": {"ru": "Начало периода", "kk": "Кезең басы", "en": "Period start"},
    "csv_period_end": {"ru": "Конец периода", "kk": "Кезең соңы", "en": "Period end"},
    "csv_revenue": {"ru": "Выручка, ₸", "kk": "Түсім, ₸", "en": "Revenue, ₸"},
    "csv_gross": {"ru": "Оплачено, ₸", "kk": "Төленді, ₸", "en": "Paid, ₸"},
    "csv_refunds": {"ru": "Возвраты, ₸", "kk": "Қайтарымдар, ₸", "en": "Refunds, ₸"},
    "csv_bookings": {"ru": "Бронирований", "kk": "Броньдар", "en": "Bookings"},
    "csv_paid_bookings": {
        "ru": "Оплачено броней",
        "kk": "Төленген броньдар",
        "en": "Paid bookings",
    },
    "csv_cancellations": {"ru": "Отмен", "kk": "Бас тартулар", "en": "Cancellations"},
    "csv_cancellation_share": {
        "ru": "Доля отмен, %",
        "kk": "Бас тарту үлесі, %",
        "en": "Cancellation share, %",
    },
    "csv_expired_holds": {
        "ru": "Не оплачено вовремя",
        "kk": "Уақытында төленбеді",
        "en": "Not paid in time",
    },
    "csv_booked_nights": {"ru": "Занято ночей", "kk": "Бос емес түндер", "en": "Booked nights"},
    "csv_available_nights": {
        "ru": "Доступно ночей",
        "kk": "Қолжетімді түндер",
        "en": "Available nights",
    },
    "csv_occupancy": {"ru": "Загрузка, %", "kk": "Толымдылық, %", "en": "Occupancy, %"},
    "csv_apartments": {"ru": "Квартир", "kk": "Пәтерлер", "en": "Apartments"},
    "csv_new_bookings": {
        "ru": "Забронировано в периоде",
        "kk": "Кезеңде броньдалғаны",
        "en": "Booked in the period",
    },
    "csv_new_paid_bookings": {
        "ru": "Из них оплачено",
        "kk": "Оның ішінде төленгені",
        "en": "Of them paid",
    },
    "csv_new_revenue": {
        "ru": "Выручка новых броней, ₸",
        "kk": "Жаңа броньдар түсімі, ₸",
        "en": "Revenue of new bookings, ₸",
    },
    "csv_new_gross": {
        "ru": "Оплачено по новым броням, ₸",
        "kk": "Жаңа броньдар бойынша төленді, ₸",
        "en": "Paid for new bookings, ₸",
    },
    "csv_new_refunds": {
        "ru": "Возвраты по новым броням, ₸",
        "kk": "Жаңа броньдар бойынша қайтарымдар, ₸",
        "en": "Refunds of new bookings, ₸",
    },
    "csv_top_apartments": {"ru": "Топ-5 квартир", "kk": "Үздік 5 пәтер", "en": "Top 5 apartments"},
    "csv_city": {"ru": "Город", "kk": "Қала", "en": "City"},
    "csv_top_guests": {"ru": "Топ-5 гостей", "kk": "Үздік 5 қонақ", "en": "Top 5 guests"},
    "csv_phone": {"ru": "Телефон", "kk": "Телефон", "en": "Phone"},
    "csv_top_realtors": {"ru": "Топ-5 риелторов", "kk": "Үздік 5 риелтор", "en": "Top 5 realtors"},
    "csv_realtor": {"ru": "Риелтор", "kk": "Риелтор", "en": "Realtor"},
    "csv_realtors": {"ru": "Риелторов", "kk": "Риелторлар", "en": "Realtors"},
    "csv_agency": {"ru": "Агентство", "kk": "Агенттік", "en": "Agency"},
    "csv_cancel_reason": {"ru": "Причина отмены", "kk": "Бас тарту себебі", "en": "Reason"},
}
