"""Texts only the WhatsApp bot needs (lists, paging of long choices)."""

TEXTS: dict[str, dict[str, str]] = {
    "wa_list_button": {"ru": "Выбрать", "kk": "Таңдау", "en": "Choose"},
    "wa_btn_prev": {"ru": "◀️ Раньше", "kk": "◀️ Алдыңғы", "en": "◀️ Previous"},
    "wa_btn_more": {"ru": "Ещё ▶️", "kk": "Тағы ▶️", "en": "More ▶️"},
    "wa_btn_refine": {
        "ru": "🔧 Изменить фильтр",
        "kk": "🔧 Сүзгіні өзгерту",
        "en": "🔧 Change filter",
    },
    "wa_refine_prompt": {
        "ru": "Какой фильтр изменить? Остальные сохранятся.",
        "kk": "Қай сүзгіні өзгертеміз? Қалғаны сақталады.",
        "en": "Which filter to change? The others are kept.",
    },
    "wa_pick_apartment": {
        "ru": "Откройте квартиру кнопкой «🏠» или её номером, или измените фильтр — "
        "остальные сохранятся.",
        "kk": "Пәтерді «🏠» батырмасымен не нөмірімен ашыңыз немесе сүзгіні өзгертіңіз — "
        "қалғаны сақталады.",
        "en": "Open an apartment with its “🏠” button or number, or change a filter — "
        "the others are kept.",
    },
}
