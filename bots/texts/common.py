"""Main menu, language, help and the friendly errors."""

TEXTS: dict[str, dict[str, str]] = {
    "welcome": {
        "ru": "Здравствуйте! Это ЖильеGO — квартиры посуточно в Казахстане. Выберите действие:",
        "kk": "Сәлеметсіз бе! Бұл ЖильеGO — Қазақстандағы тәуліктік пәтерлер. Әрекетті таңдаңыз:",
        "en": "Hello! This is ZhilyeGO — apartments by the night in Kazakhstan. Choose an action:",
    },
    "main_menu": {
        "ru": "🧭 Главное меню. Что сделать?",
        "kk": "🧭 Басты мәзір. Не істейміз?",
        "en": "🧭 Main menu. What would you like to do?",
    },
    "btn_search": {"ru": "🔍 Поиск квартир", "kk": "🔍 Пәтер іздеу", "en": "🔍 Find apartments"},
    "btn_bookings": {
        "ru": "📋 Мои бронирования",
        "kk": "📋 Менің броньдарым",
        "en": "📋 My bookings",
    },
    "btn_favourites": {"ru": "⭐ Избранное", "kk": "⭐ Таңдаулылар", "en": "⭐ Favourites"},
    "btn_language": {"ru": "🌐 Язык", "kk": "🌐 Тіл", "en": "🌐 Language"},
    "btn_help": {"ru": "❓ Помощь", "kk": "❓ Көмек", "en": "❓ Help"},
    "btn_main_menu": {"ru": "🧭 Главное меню", "kk": "🧭 Басты мәзір", "en": "🧭 Main menu"},
    "btn_back": {"ru": "◀️ Назад", "kk": "◀️ Артқа", "en": "◀️ Back"},
    "btn_cancel_action": {"ru": "✖️ Отмена", "kk": "✖️ Болдырмау", "en": "✖️ Cancel"},
    "choose_language": {
        "ru": "Выберите язык:",
        "kk": "Тілді таңдаңыз:",
        "en": "Choose your language:",
    },
    "language_set": {
        "ru": "Готово, язык — русский.",
        "kk": "Дайын, тіл — қазақша.",
        "en": "Done, the language is English.",
    },
    "help": {
        "ru": "Ищите квартиры по городу, району, классу и числу комнат, бронируйте и оплачивайте "
        "через Kaspi или по счёту. Коды доступа придут перед заездом. Вопросы: /start",
        "kk": "Пәтерлерді қала, аудан, класс және бөлме саны бойынша іздеңіз, Kaspi немесе шот "
        "арқылы төлеңіз. Кіру кодтары кіру алдында келеді.",
        "en": "Search by city, district, class and rooms; book and pay with Kaspi or by invoice. "
        "Access codes arrive before check-in.",
    },
    "unknown_input": {
        "ru": "Не совсем понял. Пожалуйста, выберите вариант на клавиатуре ниже.",
        "kk": "Түсінбедім. Төмендегі пернетақтадан нұсқаны таңдаңыз.",
        "en": "Sorry, I didn't get that. Please choose an option on the keyboard below.",
    },
    "too_often": {
        "ru": "Вы пишете слишком часто. Подождите минуту и попробуйте снова.",
        "kk": "Сіз тым жиі жазып жатырсыз. Бір минут күтіп, қайталап көріңіз.",
        "en": "You are sending messages too often. Please wait a minute and try again.",
    },
    "error_generic": {
        "ru": "Упс, что-то пошло не так. Попробуйте ещё раз — ваш выбор сохранён.",
        "kk": "Бірдеңе дұрыс болмады. Қайталап көріңіз — таңдауыңыз сақталды.",
        "en": "Oops, something went wrong. Please try again — your choices are kept.",
    },
    "stale_button": {
        "ru": "Эта кнопка устарела. Вот главное меню:",
        "kk": "Бұл батырма ескірген. Міне, басты мәзір:",
        "en": "That button is out of date. Here is the main menu:",
    },
    "not_allowed": {
        "ru": "Этот раздел доступен только владельцам и администраторам.",
        "kk": "Бұл бөлім тек иелер мен әкімшілерге арналған.",
        "en": "This section is for owners and administrators only.",
    },
}

TEXTS |= {
    "btn_my_properties": {
        "ru": "🏠 Мои квартиры",
        "kk": "🏠 Менің пәтерлерім",
        "en": "🏠 My apartments",
    },
    "btn_statistics": {"ru": "📊 Статистика", "kk": "📊 Статистика", "en": "📊 Statistics"},
}
