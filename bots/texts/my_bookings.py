"""Texts of the my_bookings screens: the list, one booking, cancelling with a reason."""

TEXTS: dict[str, dict[str, str]] = {
    "mb_empty": {
        "ru": "У вас пока нет бронирований. Найдите квартиру через «🔍 Поиск квартир».",
        "kk": "Сізде әзірге бронь жоқ. Пәтерді «🔍 Пәтер іздеу» арқылы табыңыз.",
        "en": "You have no bookings yet. Find an apartment with “🔍 Find apartments”.",
    },
    "mb_title": {
        "ru": "📋 Ваши бронирования",
        "kk": "📋 Сіздің броньдарыңыз",
        "en": "📋 Your bookings",
    },
    "mb_upcoming": {"ru": "Предстоящие:", "kk": "Алдағы:", "en": "Upcoming:"},
    "mb_past": {"ru": "Прошедшие и отменённые:", "kk": "Өткен және жойылған:", "en": "Past:"},
    "mb_line": {
        "ru": "• {booking_id} · «{title}» · {check_in} — {check_out} · {total} · {status}",
        "kk": "• {booking_id} · «{title}» · {check_in} — {check_out} · {total} · {status}",
        "en": "• {booking_id} · “{title}” · {check_in} — {check_out} · {total} · {status}",
    },
    "mb_pick": {
        "ru": "Выберите бронь, чтобы посмотреть подробности.",
        "kk": "Толығырақ көру үшін броньды таңдаңыз.",
        "en": "Pick a booking to see its details.",
    },
    "mb_unknown_booking": {
        "ru": "Такой брони не нашлось. Выберите бронь кнопкой ниже.",
        "kk": "Мұндай бронь табылмады. Броньды төмендегі батырмамен таңдаңыз.",
        "en": "No such booking. Please pick one with a button below.",
    },
    "status_pending_payment": {
        "ru": "⏳ ждёт оплаты",
        "kk": "⏳ төлемді күтуде",
        "en": "⏳ awaiting payment",
    },
    "status_confirmed": {"ru": "✅ подтверждена", "kk": "✅ расталды", "en": "✅ confirmed"},
    "status_completed": {"ru": "🏁 завершена", "kk": "🏁 аяқталды", "en": "🏁 completed"},
    "status_cancelled": {"ru": "❌ отменена", "kk": "❌ жойылды", "en": "❌ cancelled"},
    "status_auto_cancelled": {
        "ru": "⌛ отменена: нет оплаты",
        "kk": "⌛ жойылды: төлем жоқ",
        "en": "⌛ cancelled: not paid",
    },
    "status_rejected": {"ru": "— не оформлена", "kk": "— ресімделмеді", "en": "— not held"},
    "method_kaspi": {"ru": "Kaspi", "kk": "Kaspi", "en": "Kaspi"},
    "method_manual": {"ru": "счёт", "kk": "шот", "en": "invoice"},
    "mb_details": {
        "ru": "📄 Бронь {booking_id}\n🏠 «{title}», {city}\n📍 {address}\n"
        "📅 {check_in} — {check_out} ({nights:nights})\n💰 Итого: {total} ({method})\n"
        "Статус: {status}\n↩️ Отмена: {policy}",
        "kk": "📄 Бронь {booking_id}\n🏠 «{title}», {city}\n📍 {address}\n"
        "📅 {check_in} — {check_out} ({nights:nights})\n💰 Барлығы: {total} ({method})\n"
        "Күйі: {status}\n↩️ Бас тарту: {policy}",
        "en": "📄 Booking {booking_id}\n🏠 “{title}”, {city}\n📍 {address}\n"
        "📅 {check_in} — {check_out} ({nights:nights})\n💰 Total: {total} ({method})\n"
        "Status: {status}\n↩️ Cancellation: {policy}",
    },
    "mb_refunded": {
        "ru": "💸 Возврат: {refund}",
        "kk": "💸 Қайтарым: {refund}",
        "en": "💸 Refund: {refund}",
    },
    "btn_cancel_booking": {
        "ru": "❌ Отменить бронь",
        "kk": "❌ Броньдан бас тарту",
        "en": "❌ Cancel booking",
    },
    "btn_leave_review": {
        "ru": "⭐ Оставить отзыв",
        "kk": "⭐ Пікір қалдыру",
        "en": "⭐ Leave a review",
    },
    "mb_choose_reason": {
        "ru": "Почему отменяете бронь {booking_id}?",
        "kk": "{booking_id} броньынан неге бас тартасыз?",
        "en": "Why are you cancelling booking {booking_id}?",
    },
    "mb_reason_unknown": {
        "ru": "Выберите причину кнопкой ниже.",
        "kk": "Себепті төмендегі батырмамен таңдаңыз.",
        "en": "Please choose a reason with a button below.",
    },
    "btn_reason_plans": {
        "ru": "Изменились планы",
        "kk": "Жоспар өзгерді",
        "en": "Plans changed",
    },
    "btn_reason_found": {
        "ru": "Нашёл другое жильё",
        "kk": "Басқа баспана таптым",
        "en": "Found another place",
    },
    "btn_reason_price": {"ru": "Цена", "kk": "Баға", "en": "Price"},
    "btn_reason_other": {"ru": "Другое", "kk": "Басқа", "en": "Other"},
    "mb_ask_comment": {
        "ru": "Напишите коротко причину (до 500 символов):",
        "kk": "Себебін қысқаша жазыңыз (500 таңбаға дейін):",
        "en": "Please tell us the reason briefly (up to 500 characters):",
    },
    "mb_comment_expected": {
        "ru": "Напишите причину текстом (до 500 символов) или нажмите «◀️ Назад».",
        "kk": "Себебін мәтінмен жазыңыз (500 таңбаға дейін) немесе «◀️ Артқа» басыңыз.",
        "en": "Please type the reason (up to 500 characters) or press “◀️ Back”.",
    },
    "mb_preview_paid": {
        "ru": "Если отменить сейчас, вам вернут {refund} из {total}.\n↩️ Условия: {policy}\n"
        "Отменить бронь {booking_id}?",
        "kk": "Қазір бас тартсаңыз, {total} ішінен {refund} қайтарылады.\n↩️ Шарттар: {policy}\n"
        "{booking_id} броньынан бас тартасыз ба?",
        "en": "If you cancel now, you get back {refund} of {total}.\n↩️ Terms: {policy}\n"
        "Cancel booking {booking_id}?",
    },
    "mb_preview_unpaid": {
        "ru": "Бронь ещё не оплачена: отмена бесплатна, возврат — {refund}, даты освободятся.\n"
        "Отменить бронь {booking_id}?",
        "kk": "Бронь әлі төленбеген: бас тарту тегін, қайтарым — {refund}, күндер босайды.\n"
        "{booking_id} броньынан бас тартасыз ба?",
        "en": "The booking is not paid yet: cancelling is free, refund {refund}, "
        "the dates become free.\nCancel booking {booking_id}?",
    },
    "btn_confirm_cancel": {"ru": "Да, отменить", "kk": "Иә, бас тарту", "en": "Yes, cancel"},
    "btn_keep_booking": {"ru": "Нет", "kk": "Жоқ", "en": "No"},
    "mb_confirm_expected": {
        "ru": "Нажмите «Да, отменить» или «Нет».",
        "kk": "«Иә, бас тарту» немесе «Жоқ» басыңыз.",
        "en": "Please press “Yes, cancel” or “No”.",
    },
    "mb_cancelled": {
        "ru": "❌ Бронь {booking_id} отменена. Возврат: {refund}.",
        "kk": "❌ {booking_id} брондауы жойылды. Қайтарым: {refund}.",
        "en": "❌ Booking {booking_id} is cancelled. Refund: {refund}.",
    },
    "mb_kept": {
        "ru": "Хорошо, бронь {booking_id} остаётся в силе.",
        "kk": "Жақсы, {booking_id} броньы күшінде қалады.",
        "en": "All right, booking {booking_id} stays as it is.",
    },
    "mb_not_cancellable": {
        "ru": "Эту бронь уже нельзя отменить: заезд наступил или бронь закрыта.",
        "kk": "Бұл броньнан енді бас тартуға болмайды: кіру уақыты келді немесе бронь жабық.",
        "en": "This booking can no longer be cancelled: check-in has come or it is closed.",
    },
}
