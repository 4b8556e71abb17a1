"""Texts of the search screens, the apartment cards and the favourites."""

TEXTS: dict[str, dict[str, str]] = {
    "search_when_prompt": {
        "ru": "📅 Когда заезд? Напишите даты — «12.07–15.07», «с 12 по 15 июля», "
        "«12 июля на 3 ночи» — или выберите ниже.",
        "kk": "📅 Қашан кіресіз? Күндерді жазыңыз — «12.07–15.07», «12 шілде, 3 түн» — "
        "не төменнен таңдаңыз.",
        "en": "📅 When do you arrive? Type your dates — “12.07–15.07”, “12–15 July”, "
        "“12 July for 3 nights” — or choose below.",
    },
    "search_btn_tonight": {"ru": "Сегодня, 1 ночь", "kk": "Бүгін, 1 түн", "en": "Tonight, 1 night"},
    "search_btn_tomorrow": {
        "ru": "Завтра, 1 ночь",
        "kk": "Ертең, 1 түн",
        "en": "Tomorrow, 1 night",
    },
    "search_btn_weekend": {
        "ru": "Ближайшие выходные (пт–вс)",
        "kk": "Жақын демалыс (жм–жс)",
        "en": "This weekend (Fri–Sun)",
    },
    "search_btn_dates_unknown": {
        "ru": "🤷 Даты пока не знаю",
        "kk": "🤷 Күндер әлі белгісіз",
        "en": "🤷 Dates not fixed yet",
    },
    "search_too_many_nights": {
        "ru": "Поиск — до {high} ночей. Напишите даты покороче.",
        "kk": "Іздеу — {high} түнге дейін. Қысқарақ күндерді жазыңыз.",
        "en": "Search covers stays of up to {high} nights. Please type shorter dates.",
    },
    "search_guests_prompt": {
        "ru": "👥 Сколько будет гостей?",
        "kk": "👥 Қанша қонақ болады?",
        "en": "👥 How many guests?",
    },
    "search_guests_not_number": {
        "ru": "Напишите число гостей цифрами — от 1 до {high}, или нажмите кнопку.",
        "kk": "Қонақ санын цифрмен жазыңыз — 1-ден {high}-ге дейін, не батырманы басыңыз.",
        "en": "Please type the number of guests in digits, 1 to {high}, or tap a button.",
    },
    "search_guests_value": {
        "ru": "{guests:guests}",
        "kk": "{guests:guests}",
        "en": "{guests:guests}",
    },
    "search_budget_prompt": {
        "ru": "💰 Бюджет за ночь? Или напишите свой: «до 30000», «20–35 тыс».",
        "kk": "💰 Бір түнге бюджет? Не өзіңіз жазыңыз: «30000-ға дейін», «20–35 мың».",
        "en": "💰 Budget per night? Or type your own: “up to 30000”, “20-35k”.",
    },
    "search_budget_upto": {"ru": "до {high} ₸", "kk": "{high} ₸ дейін", "en": "up to {high} ₸"},
    "search_budget_from": {"ru": "от {low} ₸", "kk": "{low} ₸ бастап", "en": "from {low} ₸"},
    "search_budget_range": {
        "ru": "{low} – {high} ₸",
        "kk": "{low} – {high} ₸",
        "en": "{low} – {high} ₸",
    },
    "search_btn_any_budget": {"ru": "Любой бюджет", "kk": "Кез келген бюджет", "en": "Any budget"},
    "search_budget_not_understood": {
        "ru": "Не понял бюджет. Выберите кнопку или напишите, например, «до 30000».",
        "kk": "Бюджетті түсінбедім. Батырманы таңдаңыз не мысалы «30000-ға дейін» деп жазыңыз.",
        "en": "I could not read that budget. Tap a button or type e.g. “up to 30000”.",
    },
    "search_btn_dates": {"ru": "📅 Даты", "kk": "📅 Күндер", "en": "📅 Dates"},
    "search_btn_guests": {"ru": "👥 Гости", "kk": "👥 Қонақтар", "en": "👥 Guests"},
    "search_btn_budget": {"ru": "💰 Бюджет", "kk": "💰 Бюджет", "en": "💰 Budget"},
    "search_btn_sort": {"ru": "↕️ Сортировка", "kk": "↕️ Сұрыптау", "en": "↕️ Sort"},
    "search_sort_prompt": {
        "ru": "Как отсортировать?",
        "kk": "Қалай сұрыптаймыз?",
        "en": "How to sort?",
    },
    "search_sort_price": {
        "ru": "Сначала дешёвые",
        "kk": "Алдымен арзандары",
        "en": "Cheapest first",
    },
    "search_sort_price_desc": {
        "ru": "Сначала дорогие",
        "kk": "Алдымен қымбаттары",
        "en": "Dearest first",
    },
    "search_sort_rating": {
        "ru": "По рейтингу",
        "kk": "Рейтинг бойынша",
        "en": "Best rated first",
    },
    # --- the four steps --------------------------------------------------------------
    "search_choose_city": {
        "ru": "🏙 В каком городе ищем квартиру?",
        "kk": "🏙 Қай қаладан пәтер іздейміз?",
        "en": "🏙 Which city are you looking in?",
    },
    "search_choose_district": {
        "ru": "📍 Какой район?",
        "kk": "📍 Қай аудан?",
        "en": "📍 Which district?",
    },
    "search_choose_class": {
        "ru": "🏷 Какой класс квартиры?",
        "kk": "🏷 Пәтердің қай класы?",
        "en": "🏷 Which class of apartment?",
    },
    "search_choose_rooms": {
        "ru": "🚪 Сколько комнат?",
        "kk": "🚪 Неше бөлме?",
        "en": "🚪 How many rooms?",
    },
    "search_current": {
        "ru": "Сейчас выбрано: {value}. Остальные фильтры сохранятся.",
        "kk": "Қазір таңдалғаны: {value}. Басқа сүзгілер сақталады.",
        "en": "Currently: {value}. Your other filters are kept.",
    },
    "search_district_again": {
        "ru": "Город изменился — выберите район в нём. Класс и комнаты сохранятся.",
        "kk": "Қала өзгерді — ондағы ауданды таңдаңыз. Класс пен бөлмелер сақталады.",
        "en": "The city changed — choose a district there. Class and rooms are kept.",
    },
    "search_no_cities": {
        "ru": "Пока нет ни одной квартиры для бронирования. Загляните чуть позже!",
        "kk": "Әзірге брондауға пәтер жоқ. Кейінірек қараңыз!",
        "en": "There are no apartments to book yet. Please check back later!",
    },
    "search_unknown_city": {
        "ru": "Такого города нет в списке. Выберите город кнопкой ниже или «Любой».",
        "kk": "Бұл қала тізімде жоқ. Қаланы төмендегі батырмамен таңдаңыз немесе «Кез келген».",
        "en": "That city is not on the list. Please choose a city below, or “Any”.",
    },
    "search_unknown_district": {
        "ru": "Такого района нет в списке. Выберите район кнопкой ниже или «Любой».",
        "kk": "Бұл аудан тізімде жоқ. Ауданды төмендегі батырмамен таңдаңыз немесе «Кез келген».",
        "en": "That district is not on the list. Please choose one below, or “Any”.",
    },
    "search_unknown_class": {
        "ru": "Выберите класс кнопкой: эконом, комфорт, бизнес, премиум или «Любой».",
        "kk": "Класты батырмамен таңдаңыз: эконом, комфорт, бизнес, премиум немесе «Кез келген».",
        "en": "Please choose a class: economy, comfort, business, premium, or “Any”.",
    },
    "search_rooms_not_number": {
        "ru": "Напишите число комнат цифрами или нажмите кнопку: 1, 2, 3, 4+ или «Любой».",
        "kk": "Бөлме санын цифрмен жазыңыз немесе батырманы басыңыз: 1, 2, 3, 4+ не «Кез келген».",
        "en": "Please send the number of rooms in digits or press 1, 2, 3, 4+ or “Any”.",
    },
    "search_rooms_out_of_range": {
        "ru": "Комнат может быть от 1 до {high}. Выберите кнопкой ниже.",
        "kk": "Бөлме саны 1-ден {high}-ге дейін болады. Төмендегі батырманы таңдаңыз.",
        "en": "Rooms go from 1 to {high}. Please choose below.",
    },
    "search_btn_any": {"ru": "Любой", "kk": "Кез келген", "en": "Any"},
    "search_btn_new": {"ru": "🔄 Новый поиск", "kk": "🔄 Жаңа іздеу", "en": "🔄 New search"},
    "search_class_economy": {"ru": "Эконом", "kk": "Эконом", "en": "Economy"},
    "search_class_comfort": {"ru": "Комфорт", "kk": "Комфорт", "en": "Comfort"},
    "search_class_business": {"ru": "Бизнес", "kk": "Бизнес", "en": "Business"},
    "search_class_premium": {"ru": "Премиум", "kk": "Премиум", "en": "Premium"},
    # City and district names: services/search_places.py.
    # --- results ---------------------------------------------------------------------
    "search_empty": {
        "ru": "К сожалению, подходящих вам квартир мы не смогли найти, попробуйте изменить "
        "свои критерии для поиска",
        "kk": "Өкінішке орай, сізге сәйкес пәтер таба алмадық, іздеу шарттарын өзгертіп көріңіз",
        "en": "Unfortunately we could not find any apartments that suit you; try changing "
        "your search criteria",
    },
    "search_found": {
        "ru": "🔎 {total:apartments_found} · {filters}\nСтраница {page}/{pages}",
        "kk": "🔎 {total:apartments_found} · {filters}\n{page}/{pages}-бет",
        "en": "🔎 {total:apartments_found} · {filters}\nPage {page}/{pages}",
    },
    # One apartment of a results page (or of the favourites).
    "search_line": {
        "ru": "{n}. {title}\n      📍 {place} · 💰 {price}/ночь · {rating} · "
        "👥 до {guests:guests_upto}",
        "kk": "{n}. {title}\n      📍 {place} · 💰 түніне {price} · {rating} · "
        "👥 {guests:guests_upto} дейін",
        "en": "{n}. {title}\n      📍 {place} · 💰 {price}/night · {rating} · "
        "👥 up to {guests:guests_upto}",
    },
    "search_line_total": {
        "ru": "      🧾 за {nights:nights} с уборкой: {total}",
        "kk": "      🧾 {nights:nights}, тазалаумен: {total}",
        "en": "      🧾 {nights:nights} with cleaning: {total}",
    },
    "search_line_rating": {
        "ru": "★ {avg} ({count:reviews})",
        "kk": "★ {avg} ({count:reviews})",
        "en": "★ {avg} ({count:reviews})",
    },
    "search_line_no_rating": {"ru": "★ нет отзывов", "kk": "★ пікір жоқ", "en": "★ no reviews"},
    "search_any_city": {"ru": "любой город", "kk": "кез келген қала", "en": "any city"},
    "search_any_district": {"ru": "любой район", "kk": "кез келген аудан", "en": "any district"},
    "search_any_class": {"ru": "любой класс", "kk": "кез келген класс", "en": "any class"},
    "search_any_rooms": {
        "ru": "любое число комнат",
        "kk": "бөлме саны кез келген",
        "en": "any number of rooms",
    },
    "search_rooms_value": {"ru": "{rooms:rooms}", "kk": "{rooms:rooms}", "en": "{rooms:rooms}"},
    "search_btn_next": {"ru": "Далее ▶️", "kk": "Келесі ▶️", "en": "Next ▶️"},
    "search_btn_city": {"ru": "🏙 Город", "kk": "🏙 Қала", "en": "🏙 City"},
    "search_btn_district": {"ru": "📍 Район", "kk": "📍 Аудан", "en": "📍 District"},
    "search_btn_class": {"ru": "🏷 Класс", "kk": "🏷 Класс", "en": "🏷 Class"},
    "search_btn_rooms": {"ru": "🚪 Комнаты", "kk": "🚪 Бөлмелер", "en": "🚪 Rooms"},
    "search_unknown_pick": {
        "ru": "Выберите квартиру кнопкой «🏠» (или её номер), листайте страницы или измените "
        "фильтр кнопками ниже.",
        "kk": "Пәтерді «🏠» батырмасымен (немесе нөмірімен) таңдаңыз, беттерді ауыстырыңыз "
        "немесе сүзгіні төмендегі батырмалармен өзгертіңіз.",
        "en": "Pick an apartment with a “🏠” button (or its number), turn pages, or change a "
        "filter with the buttons below.",
    },
    # --- cards -----------------------------------------------------------------------
    "search_rating": {
        "ru": "★ {avg} · {count:reviews}",
        "kk": "★ {avg} · {count:reviews}",
        "en": "★ {avg} · {count:reviews}",
    },
    "search_no_rating": {
        "ru": "★ пока нет отзывов",
        "kk": "★ әзірге пікір жоқ",
        "en": "★ no reviews yet",
    },
    "search_detail": {
        "ru": "🏠 {title}\n📍 {place}\n🏷 {klass} · 🚪 {rooms:rooms}{area} · "
        "👥 до {guests:guests_upto}\n"
        "💰 {price} за ночь · 🧹 уборка {cleaning}\n"
        "🌙 от {min_nights} до {max_nights:nights_upto}\n"
        "🕑 заезд с {check_in}, выезд до {check_out}\n↩️ Отмена: {policy}\n{rating}",
        "kk": "🏠 {title}\n📍 {place}\n🏷 {klass} · 🚪 {rooms:rooms}{area} · "
        "👥 {guests:guests_upto} дейін\n"
        "💰 түніне {price} · 🧹 тазалау {cleaning}\n🌙 {min_nights}–{max_nights:nights}\n"
        "🕑 кіру {check_in}-ден, шығу {check_out}-ге дейін\n↩️ Бас тарту: {policy}\n{rating}",
        "en": "🏠 {title}\n📍 {place}\n🏷 {klass} · 🚪 {rooms:rooms}{area} · "
        "👥 up to {guests:guests_upto}\n"
        "💰 {price} per night · 🧹 cleaning {cleaning}\n"
        "🌙 {min_nights} to {max_nights:nights_upto}\n"
        "🕑 check-in from {check_in}, check-out by {check_out}\n↩️ Cancellation: {policy}\n{rating}",
    },
    "search_area": {"ru": " · {area} м²", "kk": " · {area} м²", "en": " · {area} m²"},
    "search_policy_flexible": {"ru": "гибкая", "kk": "икемді", "en": "flexible"},
    "search_policy_moderate": {"ru": "умеренная", "kk": "орташа", "en": "moderate"},
    "search_policy_strict": {"ru": "строгая", "kk": "қатаң", "en": "strict"},
    "search_policy_non_refundable": {
        "ru": "без возврата",
        "kk": "қайтарымсыз",
        "en": "non-refundable",
    },
    "search_property_not_found": {
        "ru": "😔 Эта квартира не найдена или больше не сдаётся. Посмотрите другие варианты:",
        "kk": "😔 Бұл пәтер табылмады немесе енді жалға берілмейді. Басқа нұсқаларды қараңыз:",
        "en": "😔 This apartment was not found or is no longer let. Have a look at others:",
    },
    "search_unknown_detail": {
        "ru": "Выберите действие кнопкой ниже: забронировать, в избранное или назад.",
        "kk": "Төмендегі батырмамен әрекетті таңдаңыз: брондау, таңдаулыларға немесе артқа.",
        "en": "Please choose below: book, add to favourites, or go back.",
    },
    "search_btn_book": {"ru": "📅 Забронировать", "kk": "📅 Брондау", "en": "📅 Book"},
    "search_btn_add_favourite": {
        "ru": "⭐ В избранное",
        "kk": "⭐ Таңдаулыларға",
        "en": "⭐ Add to favourites",
    },
    "search_btn_to_results": {
        "ru": "◀️ К результатам",
        "kk": "◀️ Нәтижелерге",
        "en": "◀️ Back to results",
    },
    # --- favourites ------------------------------------------------------------------
    "fav_added": {
        "ru": "⭐ Добавлено в избранное. Список — в главном меню, кнопка «⭐ Избранное».",
        "kk": "⭐ Таңдаулыларға қосылды. Тізім — басты мәзірде, «⭐ Таңдаулылар» батырмасы.",
        "en": "⭐ Added to favourites. Find them in the main menu under “⭐ Favourites”.",
    },
    "fav_already": {
        "ru": "Эта квартира уже в избранном.",
        "kk": "Бұл пәтер таңдаулыларда бар.",
        "en": "This apartment is already in your favourites.",
    },
    "fav_empty": {
        "ru": "В избранном пока пусто. Найдите квартиру и нажмите «⭐ В избранное».",
        "kk": "Таңдаулылар әзірге бос. Пәтер тауып, «⭐ Таңдаулыларға» батырмасын басыңыз.",
        "en": "No favourites yet. Find an apartment and press “⭐ Add to favourites”.",
    },
    "fav_list": {
        "ru": "⭐ Избранное: {count}. Откройте квартиру кнопкой «🏠» или уберите её кнопкой «❌».",
        "kk": "⭐ Таңдаулылар: {count}. Пәтерді «🏠» батырмасымен ашыңыз немесе «❌» арқылы алып "
        "тастаңыз.",
        "en": "⭐ Favourites: {count}. Open one with “🏠” or remove it with “❌”.",
    },
    "fav_btn_remove": {"ru": "❌ Убрать {n}", "kk": "❌ Алып тастау {n}", "en": "❌ Remove {n}"},
    "fav_btn_remove_this": {
        "ru": "❌ Убрать из избранного",
        "kk": "❌ Таңдаулылардан алып тастау",
        "en": "❌ Remove from favourites",
    },
    "fav_btn_back_to_list": {
        "ru": "◀️ К избранному",
        "kk": "◀️ Таңдаулыларға оралу",
        "en": "◀️ Back to favourites",
    },
    "fav_removed": {
        "ru": "Убрано из избранного: «{title}».",
        "kk": "Таңдаулылардан алынды: «{title}».",
        "en": "Removed from favourites: “{title}”.",
    },
    "fav_unknown_pick": {
        "ru": "Выберите квартиру кнопкой «🏠» или уберите её кнопкой «❌».",
        "kk": "Пәтерді «🏠» батырмасымен таңдаңыз немесе «❌» арқылы алып тастаңыз.",
        "en": "Choose an apartment with “🏠” or remove one with “❌”.",
    },
    "fav_unknown_detail": {
        "ru": "Выберите действие кнопкой ниже: забронировать, убрать из избранного или назад.",
        "kk": "Төмендегі батырмамен таңдаңыз: брондау, таңдаулылардан алу немесе артқа.",
        "en": "Please choose below: book, remove from favourites, or go back.",
    },
}
