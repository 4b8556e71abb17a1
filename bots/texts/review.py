"""Texts of the review screens: rating, a few words, photos, thanks."""

TEXTS: dict[str, dict[str, str]] = {
    "rv_nothing_to_review": {
        "ru": "Сейчас нет поездок, ожидающих отзыва. Спасибо, что пользуетесь ЖильеGO!",
        "kk": "Қазір пікір күтіп тұрған сапар жоқ. ЖильеGO-ны пайдаланғаныңызға рахмет!",
        "en": "There is no stay waiting for a review right now. Thank you for using ZhilyeGO!",
    },
    "rv_ask_rating": {
        "ru": "Оцените проживание в «{title}» от 1 до 5:",
        "kk": "«{title}» пәтеріндегі тұруды 1-ден 5-ке дейін бағалаңыз:",
        "en": "Rate your stay at “{title}” from 1 to 5:",
    },
    "rv_rating_expected": {
        "ru": "Выберите оценку кнопкой — от ⭐ 1 до ⭐ 5.",
        "kk": "Бағаны батырмамен таңдаңыз — ⭐ 1-ден ⭐ 5-ке дейін.",
        "en": "Please pick a rating with a button — ⭐ 1 to ⭐ 5.",
    },
    "rv_ask_text": {
        "ru": "Спасибо за оценку {stars}! Напишите пару слов о проживании в «{title}» "
        "или нажмите «Пропустить».",
        "kk": "Бағаңызға рахмет {stars}! «{title}» туралы бірер сөз жазыңыз "
        "немесе «Өткізіп жіберу» басыңыз.",
        "en": "Thanks for the rating {stars}! Write a few words about your stay at “{title}” "
        "or press “Skip”.",
    },
    "rv_text_expected": {
        "ru": "Напишите отзыв текстом (до 4000 символов) или нажмите «Пропустить».",
        "kk": "Пікірді мәтінмен жазыңыз (4000 таңбаға дейін) немесе «Өткізіп жіберу» басыңыз.",
        "en": "Please type your review (up to 4000 characters) or press “Skip”.",
    },
    "rv_ask_photos": {
        "ru": "📷 Можно прикрепить фото (до 10). Когда закончите — нажмите «Готово».",
        "kk": "📷 Фото қосуға болады (10-ға дейін). Аяқтағанда «Дайын» басыңыз.",
        "en": "📷 You can attach photos (up to 10). Press “Done” when you are finished.",
    },
    "rv_photo_saved": {
        "ru": "📷 Фото добавлено ({count} из 10). Ещё фото или «Готово».",
        "kk": "📷 Фото қосылды ({count}/10). Тағы фото немесе «Дайын».",
        "en": "📷 Photo added ({count} of 10). More photos, or “Done”.",
    },
    "rv_photos_full": {
        "ru": "Уже 10 фото — нажмите «Готово».",
        "kk": "10 фото қосылды — «Дайын» басыңыз.",
        "en": "That is 10 photos already — please press “Done”.",
    },
    "rv_photos_expected": {
        "ru": "Пришлите фото или нажмите «Готово».",
        "kk": "Фото жіберіңіз немесе «Дайын» басыңыз.",
        "en": "Send a photo or press “Done”.",
    },
    "btn_skip": {"ru": "Пропустить", "kk": "Өткізіп жіберу", "en": "Skip"},
    "btn_done": {"ru": "Готово", "kk": "Дайын", "en": "Done"},
    "rv_thanks": {
        "ru": "🙏 Спасибо за отзыв {stars}! Он поможет другим гостям.",
        "kk": "🙏 Пікіріңізге рахмет {stars}! Ол басқа қонақтарға көмектеседі.",
        "en": "🙏 Thank you for your review {stars}! It helps other guests.",
    },
    "rv_closed": {
        "ru": "Отзыв к этой поездке уже оставлен или время для отзыва вышло.",
        "kk": "Бұл сапарға пікір қалдырылған немесе пікір уақыты өтті.",
        "en": "This stay already has a review, or the time to leave one has passed.",
    },
}
