"""Texts of the owner screens: apartment list, card, bookings, reviews (edits in owner_edit)."""

from bots.texts.owner_edit import TEXTS as EDIT_TEXTS

TEXTS: dict[str, dict[str, str]] = {
    "owner_list_title": {
        "ru": "🏠 Ваши квартиры ({total}):",
        "kk": "🏠 Сіздің пәтерлеріңіз ({total}):",
        "en": "🏠 Your apartments ({total}):",
    },
    "owner_list_title_all": {
        "ru": "🏠 Все квартиры — владельцы, риелторы и агентства ({total}), стр. {page}/{pages}:",
        "kk": "🏠 Барлық пәтерлер — иелер, риелторлар мен агенттіктер ({total}), "
        "{page}/{pages} бет:",
        "en": "🏠 All apartments — owners, realtors and agencies ({total}), page {page}/{pages}:",
    },
    "owner_list_page": {
        "ru": "Страница {page} из {pages}.",
        "kk": "{pages} беттің {page}-беті.",
        "en": "Page {page} of {pages}.",
    },
    "owner_list_empty": {
        "ru": "У вас пока нет квартир. Чтобы добавить квартиру, напишите администратору ЖильеGO.",
        "kk": "Сізде әзірге пәтер жоқ. Пәтер қосу үшін ЖильеGO әкімшісіне жазыңыз.",
        "en": "You have no apartments yet. To add one, write to a ZhilyeGO administrator.",
    },
    "owner_list_hint": {
        "ru": "Выберите квартиру кнопкой ниже или отправьте /prop_<номер>.",
        "kk": "Төмендегі батырмамен пәтерді таңдаңыз немесе /prop_<нөмір> жіберіңіз.",
        "en": "Pick an apartment below or send /prop_<number>.",
    },
    "owner_list_line": {
        "ru": "#{id} {title} — {city}, {district} · {price} ₸/ночь{hidden}",
        "kk": "#{id} {title} — {city}, {district} · {price} ₸/түн{hidden}",
        "en": "#{id} {title} — {city}, {district} · {price} ₸/night{hidden}",
    },
    "owner_hidden": {"ru": " (скрыта)", "kk": " (жасырын)", "en": " (hidden)"},
    "owner_whose_agency": {
        "ru": "   👤 {owner}, агентство «{agency}»",
        "kk": "   👤 {owner}, «{agency}» агенттігі",
        "en": "   👤 {owner}, agency “{agency}”",
    },
    "owner_whose_private": {
        "ru": "   👤 {owner}, частный владелец",
        "kk": "   👤 {owner}, жеке иесі",
        "en": "   👤 {owner}, private owner",
    },
    "btn_owner_next_page": {"ru": "➡️ Ещё", "kk": "➡️ Тағы", "en": "➡️ More"},
    "btn_owner_prev_page": {"ru": "⬅️ Предыдущие", "kk": "⬅️ Алдыңғылар", "en": "⬅️ Previous"},
    "owner_prop_refused": {
        "ru": "Эта квартира вам недоступна: вы можете управлять только своими квартирами.",
        "kk": "Бұл пәтер сізге қолжетімсіз: тек өз пәтерлеріңізді басқара аласыз.",
        "en": "This apartment is not available to you: you can only manage your own.",
    },
    "owner_card": {
        "ru": "🏠 #{id} {title}{hidden}\n📍 {city}, {district}, {address}\n"
        "🏷 {property_class}, комнат: {rooms}\n💰 {price} ₸/ночь + уборка {cleaning} ₸\n"
        "⭐ {rating} (отзывов: {reviews})\n📷 Фото: {photos}\n"
        "🔑 Сейф: {key_safe} · Умный замок: {smart_lock}\n"
        "📅 Активных броней: {bookings} · Закрытых вами ночей: {blocked}\n\n{description}",
        "kk": "🏠 #{id} {title}{hidden}\n📍 {city}, {district}, {address}\n"
        "🏷 {property_class}, бөлмелер: {rooms}\n💰 {price} ₸/түн + тазалау {cleaning} ₸\n"
        "⭐ {rating} (пікірлер: {reviews})\n📷 Фото: {photos}\n"
        "🔑 Сейф: {key_safe} · Смарт құлып: {smart_lock}\n"
        "📅 Белсенді броньдар: {bookings} · Сіз жапқан түндер: {blocked}\n\n{description}",
        "en": "🏠 #{id} {title}{hidden}\n📍 {city}, {district}, {address}\n"
        "🏷 {property_class}, rooms: {rooms}\n💰 {price} ₸/night + cleaning {cleaning} ₸\n"
        "⭐ {rating} (reviews: {reviews})\n📷 Photos: {photos}\n"
        "🔑 Key safe: {key_safe} · Smart lock: {smart_lock}\n"
        "📅 Active bookings: {bookings} · Nights you blocked: {blocked}\n\n{description}",
    },
    "owner_card_whose": {
        "ru": "👤 Владелец: {owner}",
        "kk": "👤 Иесі: {owner}",
        "en": "👤 Owner: {owner}",
    },
    "owner_no_rating": {"ru": "нет оценок", "kk": "баға жоқ", "en": "no ratings"},
    "owner_no_description": {
        "ru": "Описания пока нет.",
        "kk": "Сипаттама әлі жоқ.",
        "en": "No description yet.",
    },
    "owner_code_set": {"ru": "задан ✅", "kk": "орнатылған ✅", "en": "set ✅"},
    "owner_code_unset": {"ru": "не задан ❌", "kk": "орнатылмаған ❌", "en": "not set ❌"},
    "owner_choose_action": {
        "ru": "Что сделать с квартирой? Выберите действие ниже.",
        "kk": "Пәтермен не істейміз? Төменнен әрекетті таңдаңыз.",
        "en": "What would you like to do with this apartment? Choose below.",
    },
    "btn_owner_bookings": {"ru": "📅 Брони", "kk": "📅 Броньдар", "en": "📅 Bookings"},
    "btn_owner_reviews": {"ru": "⭐ Отзывы", "kk": "⭐ Пікірлер", "en": "⭐ Reviews"},
    "btn_owner_price": {"ru": "💰 Цена", "kk": "💰 Баға", "en": "💰 Price"},
    "btn_owner_description": {"ru": "📝 Описание", "kk": "📝 Сипаттама", "en": "📝 Description"},
    "btn_owner_photos": {"ru": "📷 Фото", "kk": "📷 Фото", "en": "📷 Photos"},
    "btn_owner_codes": {"ru": "🔑 Коды доступа", "kk": "🔑 Кіру кодтары", "en": "🔑 Access codes"},
    "btn_owner_block": {"ru": "🚫 Закрыть даты", "kk": "🚫 Күндерді жабу", "en": "🚫 Block dates"},
    "btn_owner_unblock": {
        "ru": "✅ Открыть даты",
        "kk": "✅ Күндерді ашу",
        "en": "✅ Unblock dates",
    },
    "owner_bookings_title": {
        "ru": "📅 Текущие и будущие брони «{title}»:",
        "kk": "📅 «{title}» пәтерінің қазіргі және алдағы броньдары:",
        "en": "📅 Current and upcoming bookings of “{title}”:",
    },
    "owner_booking_line": {
        "ru": "• {check_in} → {check_out} ({nights:nights}) · {guest} · {total} ₸ · {status}",
        "kk": "• {check_in} → {check_out} ({nights:nights}) · {guest} · {total} ₸ · {status}",
        "en": "• {check_in} → {check_out} ({nights:nights}) · {guest} · {total} ₸ · {status}",
    },
    "owner_bookings_empty": {
        "ru": "Текущих и будущих броней нет.",
        "kk": "Қазіргі және алдағы броньдар жоқ.",
        "en": "No current or upcoming bookings.",
    },
    "owner_status_pending_payment": {
        "ru": "⏳ ждёт оплаты",
        "kk": "⏳ төлемді күтуде",
        "en": "⏳ awaiting payment",
    },
    "owner_status_confirmed": {
        "ru": "✅ подтверждена",
        "kk": "✅ расталған",
        "en": "✅ confirmed",
    },
    "owner_reviews_title": {
        "ru": "⭐ Отзывы о «{title}» — средняя оценка {rating}, всего {count}:",
        "kk": "⭐ «{title}» туралы пікірлер — орташа баға {rating}, барлығы {count}:",
        "en": "⭐ Reviews of “{title}” — average {rating}, {count} in total:",
    },
    "owner_review_line": {
        "ru": "{stars} {guest}, {day}: {text}",
        "kk": "{stars} {guest}, {day}: {text}",
        "en": "{stars} {guest}, {day}: {text}",
    },
    "owner_reviews_empty": {
        "ru": "Отзывов пока нет.",
        "kk": "Әзірге пікір жоқ.",
        "en": "No reviews yet.",
    },
    "owner_unknown_card_action": {
        "ru": "Не понял. Выберите действие с квартирой на клавиатуре ниже.",
        "kk": "Түсінбедім. Төмендегі пернетақтадан пәтермен әрекетті таңдаңыз.",
        "en": "Sorry, I didn't get that. Choose an action for the apartment below.",
    },
    "owner_unknown_list_choice": {
        "ru": "Не понял. Выберите квартиру кнопкой ниже или отправьте /prop_<номер>.",
        "kk": "Түсінбедім. Төмендегі батырмамен пәтерді таңдаңыз немесе /prop_<нөмір> жіберіңіз.",
        "en": "Sorry, I didn't get that. Pick an apartment below or send /prop_<number>.",
    },
}

TEXTS |= EDIT_TEXTS
