"""Texts of the owner's booking actions: invoices to confirm, bookings to cancel."""

TEXTS: dict[str, dict[str, str]] = {
    "btn_oa_bookings": {"ru": "📑 Брони", "kk": "📑 Броньдар", "en": "📑 Bookings"},
    "oa_menu": {
        "ru": "📑 Брони ваших квартир. Что показать?",
        "kk": "📑 Пәтерлеріңіздің броньдары. Нені көрсетейін?",
        "en": "📑 Bookings of your apartments. What should I show?",
    },
    "btn_oa_pending": {
        "ru": "📥 Ожидают оплаты по счёту",
        "kk": "📥 Шот бойынша төлемді күтуде",
        "en": "📥 Awaiting invoice payment",
    },
    "btn_oa_upcoming": {
        "ru": "📅 Предстоящие брони",
        "kk": "📅 Алдағы броньдар",
        "en": "📅 Upcoming bookings",
    },
    "oa_pending_title": {
        "ru": "📥 Ожидают оплаты по счёту: {count}. Выберите бронь:",
        "kk": "📥 Шот бойынша төлемді күтуде: {count}. Броньды таңдаңыз:",
        "en": "📥 Awaiting invoice payment: {count}. Choose a booking:",
    },
    "oa_pending_empty": {
        "ru": "Сейчас нет броней, ожидающих оплаты по счёту.",
        "kk": "Қазір шот бойынша төлемді күтіп тұрған бронь жоқ.",
        "en": "No bookings are waiting for an invoice payment right now.",
    },
    "oa_upcoming_title": {
        "ru": "📅 Предстоящие брони: {count}. Выберите бронь:",
        "kk": "📅 Алдағы броньдар: {count}. Броньды таңдаңыз:",
        "en": "📅 Upcoming bookings: {count}. Choose a booking:",
    },
    "oa_upcoming_empty": {
        "ru": "Предстоящих броней нет.",
        "kk": "Алдағы броньдар жоқ.",
        "en": "There are no upcoming bookings.",
    },
    "oa_list_line": {
        "ru": "• {booking_id} — «{title}», {check_in}–{check_out}, {total}, {status}",
        "kk": "• {booking_id} — «{title}», {check_in}–{check_out}, {total}, {status}",
        "en": "• {booking_id} — “{title}”, {check_in}–{check_out}, {total}, {status}",
    },
    "oa_card": {
        "ru": "🧾 Бронь {booking_id}\n🏠 «{title}»\n📅 {check_in} — {check_out} ({nights:nights})\n"
        "👤 Гость: {guest}, {phone}\n💰 Сумма: {total}\n💳 Оплата: {method}\n📌 Статус: {status}",
        "kk": "🧾 Бронь {booking_id}\n🏠 «{title}»\n📅 {check_in} — {check_out} ({nights:nights})\n"
        "👤 Қонақ: {guest}, {phone}\n💰 Сомасы: {total}\n💳 Төлем: {method}\n📌 Күйі: {status}",
        "en": "🧾 Booking {booking_id}\n🏠 “{title}”\n"
        "📅 {check_in} — {check_out} ({nights:nights})\n"
        "👤 Guest: {guest}, {phone}\n💰 Total: {total}\n💳 Payment: {method}\n📌 Status: {status}",
    },
    "oa_card_expires": {
        "ru": "⏳ Ждём оплату до {expires}",
        "kk": "⏳ Төлемді {expires} дейін күтеміз",
        "en": "⏳ Waiting for the payment until {expires}",
    },
    "oa_card_no_actions": {
        "ru": "С этой бронью сейчас ничего сделать нельзя.",
        "kk": "Бұл броньмен қазір ештеңе істеуге болмайды.",
        "en": "Nothing can be done with this booking now.",
    },
    "oa_status_pending_payment": {
        "ru": "ожидает оплаты",
        "kk": "төлем күтуде",
        "en": "awaiting payment",
    },
    "oa_status_confirmed": {"ru": "подтверждена", "kk": "расталды", "en": "confirmed"},
    "oa_status_completed": {"ru": "завершена", "kk": "аяқталды", "en": "completed"},
    "oa_status_cancelled": {"ru": "отменена", "kk": "жойылды", "en": "cancelled"},
    "oa_status_auto_cancelled": {
        "ru": "отменена (не оплачена вовремя)",
        "kk": "жойылды (уақытында төленбеді)",
        "en": "cancelled (not paid in time)",
    },
    "oa_method_kaspi": {"ru": "Kaspi", "kk": "Kaspi", "en": "Kaspi"},
    "oa_method_manual": {
        "ru": "счёт (по реквизитам)",
        "kk": "шот (деректемелер бойынша)",
        "en": "invoice (bank transfer)",
    },
    "btn_oa_confirm": {
        "ru": "✅ Подтвердить оплату",
        "kk": "✅ Төлемді растау",
        "en": "✅ Confirm payment",
    },
    "btn_oa_cancel": {
        "ru": "❌ Отменить бронь гостя",
        "kk": "❌ Қонақтың брондауын жою",
        "en": "❌ Cancel the guest's booking",
    },
    "oa_confirmed": {
        "ru": "✅ Оплата по брони {booking_id} подтверждена. Гость получил подтверждение.",
        "kk": "✅ {booking_id} броны бойынша төлем расталды. Қонақ растау алды.",
        "en": "✅ Payment for booking {booking_id} is confirmed. The guest has been notified.",
    },
    "oa_confirm_refused": {
        "ru": "Не получилось подтвердить оплату: бронь {booking_id} уже не ждёт оплаты "
        "(статус: {status}).",
        "kk": "Төлемді растау мүмкін болмады: {booking_id} броны енді төлем күтпейді "
        "(күйі: {status}).",
        "en": "Could not confirm the payment: booking {booking_id} is no longer awaiting "
        "payment (status: {status}).",
    },
    "oa_not_found": {
        "ru": "Такой брони среди ваших нет. Выберите бронь кнопкой ниже.",
        "kk": "Мұндай бронь сіздікі емес. Төмендегі батырмамен таңдаңыз.",
        "en": "There is no such booking among yours. Please choose one with a button below.",
    },
    "oa_choose_reason": {
        "ru": "Почему отменяете бронь {booking_id}? Гость узнает, что отменили вы, "
        "и получит возврат.",
        "kk": "{booking_id} броньды неге жоясыз? Қонақ оны сіз жойғаныңызды біліп, "
        "қаражатын қайтарып алады.",
        "en": "Why are you cancelling booking {booking_id}? The guest will learn that you "
        "cancelled it and will get a refund.",
    },
    "oa_ask_reason_again": {
        "ru": "Выберите причину отмены:",
        "kk": "Жою себебін таңдаңыз:",
        "en": "Choose the reason for cancelling:",
    },
    "btn_oa_reason_owner_unavailable": {
        "ru": "🏚 Квартира недоступна",
        "kk": "🏚 Пәтер қолжетімсіз",
        "en": "🏚 Apartment unavailable",
    },
    "btn_oa_reason_other": {"ru": "✏️ Другое", "kk": "✏️ Басқа", "en": "✏️ Other"},
    "oa_ask_comment": {
        "ru": "Коротко опишите причину (до 500 символов):",
        "kk": "Себебін қысқаша жазыңыз (500 таңбаға дейін):",
        "en": "Briefly describe the reason (up to 500 characters):",
    },
    "oa_comment_too_long": {
        "ru": "Слишком длинно — уложитесь, пожалуйста, в 500 символов.",
        "kk": "Тым ұзын — 500 таңбаға сыйғызыңыз.",
        "en": "That is too long — please keep it under 500 characters.",
    },
    "oa_confirm_cancel": {
        "ru": "Отменить бронь {booking_id} («{title}», {check_in} — {check_out})?\n"
        "Причина: {reason}\nВозврат гостю: {refund}.",
        "kk": "{booking_id} броньды жою керек пе («{title}», {check_in} — {check_out})?\n"
        "Себебі: {reason}\nҚонаққа қайтарым: {refund}.",
        "en": "Cancel booking {booking_id} (“{title}”, {check_in} — {check_out})?\n"
        "Reason: {reason}\nRefund to the guest: {refund}.",
    },
    "btn_oa_cancel_yes": {
        "ru": "✅ Да, отменить бронь",
        "kk": "✅ Иә, броньды жою",
        "en": "✅ Yes, cancel it",
    },
    "oa_cancelled": {
        "ru": "❌ Бронь {booking_id} отменена. Возврат гостю: {refund}. Гость получил уведомление.",
        "kk": "❌ {booking_id} броны жойылды. Қонаққа қайтарым: {refund}. Қонаққа хабарланды.",
        "en": "❌ Booking {booking_id} is cancelled. Refund to the guest: {refund}. "
        "The guest has been notified.",
    },
    "oa_cancel_refused": {
        "ru": "Не получилось отменить бронь {booking_id}: {detail}",
        "kk": "{booking_id} броньды жою мүмкін болмады: {detail}",
        "en": "Could not cancel booking {booking_id}: {detail}",
    },
    "oa_cancel_too_late": {
        "ru": "заезд уже начался или бронь уже закрыта.",
        "kk": "кіру басталды немесе бронь жабылды.",
        "en": "check-in has begun or the booking is already closed.",
    },
    "oa_reason_owner_unavailable": {
        "ru": "Квартира недоступна",
        "kk": "Пәтер қолжетімсіз",
        "en": "Apartment unavailable",
    },
    "oa_reason_other": {"ru": "Другое", "kk": "Басқа", "en": "Other"},
    "oa_service_down": {
        "ru": "Сервис бронирований сейчас недоступен. Попробуйте через минуту — выбор сохранён.",
        "kk": "Брондау қызметі қазір қолжетімсіз. Бір минуттан соң қайталаңыз.",
        "en": "The booking service is unavailable right now. Try again in a minute.",
    },
}
