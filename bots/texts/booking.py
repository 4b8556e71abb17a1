"""Texts of the booking screens: dates, nights, the quote, the phone, payment, the hold answer."""

TEXTS: dict[str, dict[str, str]] = {
    "bk_weekdays": {
        "ru": "пн,вт,ср,чт,пт,сб,вс",
        "kk": "дс,сс,ср,бс,жм,сн,жс",
        "en": "Mon,Tue,Wed,Thu,Fri,Sat,Sun",
    },
    "bk_not_found": {
        "ru": "😔 Эта квартира сейчас недоступна для бронирования.",
        "kk": "😔 Бұл пәтерді қазір брондау мүмкін емес.",
        "en": "😔 This apartment cannot be booked right now.",
    },
    "bk_month_names": {
        "ru": "Январь,Февраль,Март,Апрель,Май,Июнь,Июль,Август,Сентябрь,Октябрь,Ноябрь,Декабрь",
        "kk": "Қаңтар,Ақпан,Наурыз,Сәуір,Мамыр,Маусым,Шілде,Тамыз,Қыркүйек,Қазан,Қараша,Желтоқсан",
        "en": "January,February,March,April,May,June,July,August,September,October,November,"
        "December",
    },
    "bk_choose_month": {
        "ru": "📅 «{title}»: в каком месяце заезд? "
        "Показаны месяцы, где свободно хотя бы {min_nights:nights} подряд.\n"
        "✍️ Или напишите даты на любой срок до года вперёд: «12.07–15.07» или «12 июля на 3 ночи».",
        "kk": "📅 «{title}»: қай айда кіресіз? "
        "Кемінде {min_nights:nights} қатар бос айлар көрсетілген.\n"
        "✍️ Немесе бір жылға дейінгі күндерді жазыңыз: «12.07–15.07» не «12 шілде, 3 түн».",
        "en": "📅 “{title}”: which month do you arrive? "
        "Shown are months with at least {min_nights:nights} free in a row.\n"
        "✍️ Or type any dates up to a year ahead: “12.07–15.07” or “12 July for 3 nights”.",
    },
    "bk_btn_calendar": {
        "ru": "🗓 Выбрать даты в календаре",
        "kk": "🗓 Күнтізбеден күндерді таңдау",
        "en": "🗓 Pick dates in a calendar",
    },
    "wa_btn_calendar": {"ru": "Выбрать даты", "kk": "Күндерді таңдау", "en": "Pick dates"},
    "wa_flow_dates_body": {
        "ru": "🗓 Выберите даты заезда и выезда в календаре — или месяц в списке ниже.",
        "kk": "🗓 Кіру және шығу күндерін күнтізбеден таңдаңыз — не төмендегі тізімнен айды.",
        "en": "🗓 Pick your check-in and check-out in the calendar, or a month in the list below.",
    },
    "wa_flow_dates_heading": {
        "ru": "Даты поездки",
        "kk": "Сапар күндері",
        "en": "Your dates",
    },
    "wa_flow_check_in": {"ru": "Заезд", "kk": "Кіру", "en": "Check-in"},
    "wa_flow_check_out": {"ru": "Выезд", "kk": "Шығу", "en": "Check-out"},
    "wa_flow_done": {"ru": "Готово", "kk": "Дайын", "en": "Done"},
    "bk_choose_week": {
        "ru": "📅 {month}: какая неделя?",
        "kk": "📅 {month}: қай апта?",
        "en": "📅 {month}: which week?",
    },
    "bk_choose_day": {
        "ru": "📅 «{title}»: выберите дату заезда. "
        "Показаны дни, с которых свободно хотя бы {min_nights:nights}.",
        "kk": "📅 «{title}»: кіру күнін таңдаңыз. "
        "Кемінде {min_nights:nights} бос күндер көрсетілген.",
        "en": "📅 “{title}”: choose your check-in day. "
        "Shown are days followed by at least {min_nights:nights} free.",
    },
    "bk_typed_not_understood": {
        "ru": "Не понял даты. Напишите, например, «12.07–15.07», «с 12 по 15 июля» "
        "или «12 июля на 3 ночи» — или выберите день кнопкой.",
        "kk": "Күндерді түсінбедім. Мысалы: «12.07–15.07» немесе «12 шілде, 3 түн» деп жазыңыз "
        "— не күнді батырмамен таңдаңыз.",
        "en": "I could not read those dates. Try “12.07–15.07”, “12–15 July” or "
        "“12 July for 3 nights”, or pick a day with a button.",
    },
    "bk_typed_no_end": {
        "ru": "Дата заезда понятна, а выезд? "
        "Напишите, например, «12.07–15.07» или «12 июля на 3 ночи».",
        "kk": "Кіру күні түсінікті, ал шығу қашан? Мысалы: «12.07–15.07» не «12 шілде, 3 түн».",
        "en": "Got the check-in; and the check-out? E.g. “12.07–15.07” or “12 July for 3 nights”.",
    },
    "bk_typed_bad_date": {
        "ru": "Такой даты нет в календаре. Проверьте число и месяц.",
        "kk": "Күнтізбеде ондай күн жоқ. Күн мен айды тексеріңіз.",
        "en": "That date does not exist. Please check the day and the month.",
    },
    "bk_typed_end_before_start": {
        "ru": "Выезд должен быть позже заезда. Напишите даты ещё раз.",
        "kk": "Шығу күні кіру күнінен кейін болуы керек. Күндерді қайта жазыңыз.",
        "en": "Check-out must come after check-in. Please type the dates again.",
    },
    "bk_typed_in_the_past": {
        "ru": "Эти даты уже прошли. Напишите будущие даты.",
        "kk": "Бұл күндер өтіп кетті. Алдағы күндерді жазыңыз.",
        "en": "Those dates have passed. Please type dates in the future.",
    },
    "bk_typed_beyond_horizon": {
        "ru": "Бронируем не дальше чем на год вперёд: заезд не позже {last}.",
        "kk": "Бір жылдан алысқа брондамаймыз: кіру {last} күнінен кешікпеуі керек.",
        "en": "Bookings open up to a year ahead: check-in no later than {last}.",
    },
    "bk_typed_nights_out_of_range": {
        "ru": "В этой квартире можно остановиться минимум на {low:nights}, "
        "максимум на {high:nights}. Напишите другие даты.",
        "kk": "Бұл пәтерде {low}–{high} түн тұруға болады. Басқа күндерді жазыңыз.",
        "en": "This apartment takes stays of {low} to {high} nights. Please type other dates.",
    },
    "bk_typed_season_minimum": {
        "ru": "В эти даты квартира сдаётся минимум на {low:nights}. Напишите другие даты.",
        "kk": "Бұл күндері пәтер кемінде {low} түнге беріледі. Басқа күндерді жазыңыз.",
        "en": "On these dates the apartment takes stays of {low:nights} or more. "
        "Please type other dates.",
    },
    "bk_typed_notice": {
        "ru": "Хозяин принимает гостей с предупреждением: заезд не раньше {first}. "
        "Напишите другие даты.",
        "kk": "Иесі қонақтарды алдын ала хабармен қабылдайды: кіру {first} күнінен ерте емес. "
        "Басқа күндерді жазыңыз.",
        "en": "The host needs notice: check-in no earlier than {first}. Please type other dates.",
    },
    "bk_calendar_other_apartment": {
        "ru": "Этот календарь был открыт для другой квартиры. Выберите даты здесь.",
        "kk": "Бұл күнтізбе басқа пәтерге ашылған еді. Күндерді осында таңдаңыз.",
        "en": "That calendar was opened for another apartment. Please pick the dates here.",
    },
    "bk_typed_taken": {
        "ru": "😔 Эти ночи уже заняты. Выберите другой день кнопкой или напишите другие даты.",
        "kk": "😔 Бұл түндер бос емес. Басқа күнді таңдаңыз не басқа күндерді жазыңыз.",
        "en": "😔 Those nights are taken. Pick another day or type other dates.",
    },
    "bk_no_days": {
        "ru": "😔 У «{title}» нет свободных дат на год вперёд. Посмотрите другие квартиры.",
        "kk": "😔 «{title}» пәтерінде бір жыл бойы бос күн жоқ. Басқа пәтерлерді қараңыз.",
        "en": "😔 “{title}” has no free dates in the year ahead. Have a look at other apartments.",
    },
    "bk_day_not_offered": {
        "ru": "Эта дата недоступна. Выберите дату заезда кнопкой ниже.",
        "kk": "Бұл күн қолжетімсіз. Кіру күнін төмендегі батырмамен таңдаңыз.",
        "en": "That date is not available. Please pick a check-in day with a button below.",
    },
    "bk_choose_nights": {
        "ru": "🌙 Заезд {check_in}. Сколько ночей? Можно от {low} до {high}.",
        "kk": "🌙 Кіру {check_in}. Неше түн? {low}-ден {high}-ге дейін.",
        "en": "🌙 Check-in {check_in}. How many nights? From {low} to {high}.",
    },
    "bk_nights_not_number": {
        "ru": "Напишите число ночей цифрами — от {low} до {high}, или нажмите кнопку.",
        "kk": "Түн санын цифрмен жазыңыз — {low}-ден {high}-ге дейін, немесе батырманы басыңыз.",
        "en": "Please send the number of nights in digits — {low} to {high} — or press a button.",
    },
    "bk_nights_out_of_range": {
        "ru": "С этой даты можно забронировать от {low} до {high:nights_upto}. "
        "Выберите кнопкой ниже.",
        "kk": "Бұл күннен {low}-ден {high}-ге дейін түн брондауға болады. Батырманы таңдаңыз.",
        "en": "From this day you can book {low} to {high:nights_upto}. Please choose below.",
    },
    "bk_choose_guests": {
        "ru": "👥 Сколько будет гостей? Квартира вмещает до {max_guests:guests_upto}.",
        "kk": "👥 Қанша қонақ болады? Пәтерге {max_guests} адамға дейін сыяды.",
        "en": "👥 How many guests are coming? The apartment sleeps up to {max_guests:guests_upto}.",
    },
    "bk_guests_not_number": {
        "ru": "Напишите число гостей цифрами — от 1 до {max_guests}, или нажмите кнопку.",
        "kk": "Қонақтар санын цифрмен жазыңыз — 1-ден {max_guests}-ге дейін, "
        "немесе батырманы басыңыз.",
        "en": "Please send the number of guests in digits — 1 to {max_guests} — or press a button.",
    },
    "bk_guests_out_of_range": {
        "ru": "😔 Квартира вмещает от 1 до {max_guests:guests_upto}. Выберите число гостей ниже.",
        "kk": "😔 Пәтерге 1-ден {max_guests}-ге дейін қонақ сыяды. Қонақтар санын таңдаңыз.",
        "en": "😔 The apartment takes 1 to {max_guests:guests_upto}. Please choose below.",
    },
    "bk_quote": {
        "ru": "🧾 «{title}»\n📅 {check_in} — {check_out} ({nights:nights})\n👥 Гостей: {guests}\n"
        "{breakdown}\n🧹 Уборка: {cleaning}\n💰 Итого: {total}\n"
        "↩️ Отмена: {policy}",
        "kk": "🧾 «{title}»\n📅 {check_in} — {check_out} ({nights:nights})\n👥 Қонақтар: {guests}\n"
        "{breakdown}\n🧹 Тазалау: {cleaning}\n💰 Барлығы: {total}\n"
        "↩️ Бас тарту: {policy}",
        "en": "🧾 “{title}”\n📅 {check_in} — {check_out} ({nights:nights})\n👥 Guests: {guests}\n"
        "{breakdown}\n🧹 Cleaning: {cleaning}\n💰 Total: {total}\n"
        "↩️ Cancellation: {policy}",
    },
    "bk_quote_line": {
        "ru": "🌙 {nights} × {price}{band} = {total}",
        "kk": "🌙 {nights} × {price}{band} = {total}",
        "en": "🌙 {nights} × {price}{band} = {total}",
    },
    "bk_band_weekend": {"ru": " (выходные)", "kk": " (демалыс)", "en": " (weekend)"},
    "bk_band_season": {"ru": " (сезон)", "kk": " (маусым)", "en": " (season)"},
    "bk_band_date": {"ru": " (праздник)", "kk": " (мереке)", "en": " (holiday)"},
    "bk_quote_discount": {
        "ru": "🏷 Скидка за длительное проживание −{percent} %: −{amount}",
        "kk": "🏷 Ұзақ тұрғаны үшін жеңілдік −{percent} %: −{amount}",
        "en": "🏷 Long-stay discount −{percent} %: −{amount}",
    },
    "bk_quote_extra_guests": {
        "ru": "👥 Доп. гости ({extra}): {amount}",
        "kk": "👥 Қосымша қонақтар ({extra}): {amount}",
        "en": "👥 Extra guests ({extra}): {amount}",
    },
    "policy_flexible": {
        "ru": "бесплатно до 24 ч до заезда, позже удерживается стоимость первой ночи.",
        "kk": "кіруге 24 сағат қалғанға дейін тегін, кейін бірінші түннің құны ұсталады.",
        "en": "free until 24 h before check-in; later the first night is kept.",
    },
    "policy_moderate": {
        "ru": "бесплатно до 5 дней до заезда, позже первая ночь удерживается, "
        "за остальные возвращается половина.",
        "kk": "кіруге 5 күн қалғанға дейін тегін, кейін бірінші түн ұсталады, "
        "қалған түндердің жартысы қайтарылады.",
        "en": "free until 5 days before check-in; later the first night is kept "
        "and half of the other nights is refunded.",
    },
    "policy_strict": {
        "ru": "полный возврат в течение 48 ч после брони, если до заезда 14+ дней; "
        "за 7+ дней — половина стоимости ночей; позже возвращается только уборка.",
        "kk": "кіруге 14+ күн болса, брондаудан кейін 48 сағат ішінде толық қайтарым; "
        "7+ күн бұрын — түндердің жартысы; кейін тек тазалау қайтарылады.",
        "en": "full refund within 48 h of booking if check-in is 14+ days away; "
        "7+ days before — half of the nights; later only the cleaning fee.",
    },
    "policy_non_refundable": {
        "ru": "без возврата.",
        "kk": "қайтарымсыз.",
        "en": "non-refundable.",
    },
    "bk_ask_phone": {
        "ru": "📱 Чтобы оформить бронь, поделитесь номером телефона кнопкой ниже "
        "или напишите его в формате +7 7XX XXX XX XX.",
        "kk": "📱 Брондау үшін төмендегі батырмамен телефон нөміріңізбен бөлісіңіз "
        "немесе оны +7 7XX XXX XX XX форматында жазыңыз.",
        "en": "📱 To book, share your phone number with the button below "
        "or type it as +7 7XX XXX XX XX.",
    },
    "bk_phone_invalid": {
        "ru": "Не похоже на номер телефона. Нажмите «📱 Поделиться номером» "
        "или напишите номер в формате +7 7XX XXX XX XX.",
        "kk": "Бұл телефон нөміріне ұқсамайды. «📱 Нөмірмен бөлісу» батырмасын басыңыз "
        "немесе нөмірді +7 7XX XXX XX XX форматында жазыңыз.",
        "en": "That does not look like a phone number. Press “📱 Share my number” "
        "or type it as +7 7XX XXX XX XX.",
    },
    "bk_phone_not_own": {
        "ru": "Пожалуйста, поделитесь своим номером — кнопкой «📱 Поделиться номером».",
        "kk": "Өз нөміріңізбен бөлісіңіз — «📱 Нөмірмен бөлісу» батырмасымен.",
        "en": "Please share your own number with the “📱 Share my number” button.",
    },
    "btn_share_phone": {
        "ru": "📱 Поделиться номером",
        "kk": "📱 Нөмірмен бөлісу",
        "en": "📱 Share my number",
    },
    "bk_choose_payment": {
        "ru": "💳 Как будете оплачивать?",
        "kk": "💳 Қалай төлейсіз?",
        "en": "💳 How would you like to pay?",
    },
    "bk_payment_unknown": {
        "ru": "Выберите способ оплаты кнопкой ниже: ссылка на оплату в Kaspi, "
        "счёт в приложение Kaspi или счёт по реквизитам.",
        "kk": "Төлем тәсілін төмендегі батырмамен таңдаңыз: Kaspi төлем сілтемесі, "
        "Kaspi қосымшасына шот немесе деректемелер бойынша шот.",
        "en": "Please choose how to pay with a button below: a Kaspi payment link, "
        "a bill to your Kaspi app, or an invoice by bank transfer.",
    },
    "btn_pay_kaspi": {
        "ru": "Kaspi: ссылка на оплату",
        "kk": "Kaspi: төлем сілтемесі",
        "en": "Kaspi: payment link",
    },
    "btn_pay_kaspi_invoice": {
        "ru": "Kaspi: счёт в приложение",
        "kk": "Kaspi: қосымшаға шот",
        "en": "Kaspi: bill to the app",
    },
    "btn_pay_invoice": {
        "ru": "Счёт (оплата по реквизитам)",
        "kk": "Шот (деректемелер бойынша төлеу)",
        "en": "Invoice (bank transfer)",
    },
    "bk_kaspi_held": {
        "ru": "✅ Бронь {booking_id} оформлена и ждёт оплаты.\n💰 Сумма: {total}\n"
        "💳 Оплатите в Kaspi: {url}\n⏳ Осталось {left} — потом бронь снимется автоматически.",
        "kk": "✅ {booking_id} брондауы ресімделді, төлемді күтуде.\n💰 Сомасы: {total}\n"
        "💳 Kaspi арқылы төлеңіз: {url}\n⏳ {left} қалды — кейін бронь автоматты түрде жойылады.",
        "en": "✅ Booking {booking_id} is held and waiting for payment.\n💰 Amount: {total}\n"
        "💳 Pay with Kaspi: {url}\n⏳ {left} left — then the booking is released automatically.",
    },
    "bk_kaspi_held_no_link": {
        "ru": "✅ Бронь {booking_id} оформлена и ждёт оплаты.\n💰 Сумма: {total}\n"
        "⏳ Осталось {left} — потом бронь снимется автоматически.",
        "kk": "✅ {booking_id} брондауы ресімделді, төлемді күтуде.\n💰 Сомасы: {total}\n"
        "⏳ {left} қалды — кейін бронь автоматты түрде жойылады.",
        "en": "✅ Booking {booking_id} is held and waiting for payment.\n💰 Amount: {total}\n"
        "⏳ {left} left — then the booking is released automatically.",
    },
    "bk_kaspi_invoice_held": {
        "ru": "✅ Бронь {booking_id} оформлена и ждёт оплаты.\n"
        "Счёт на {total} отправлен в приложение Kaspi на номер {phone}. "
        "Откройте Kaspi → Платежи, чтобы оплатить. ⏳ Осталось {left}.",
        "kk": "✅ {booking_id} брондауы ресімделді, төлемді күтуде.\n"
        "{total} сомасына шот {phone} нөміріне Kaspi қосымшасына жіберілді. "
        "Төлеу үшін Kaspi → Төлемдер бөлімін ашыңыз. ⏳ {left} қалды.",
        "en": "✅ Booking {booking_id} is held and waiting for payment.\n"
        "A bill for {total} was sent to the Kaspi app of {phone}. "
        "Open Kaspi → Payments to pay it. ⏳ {left} left.",
    },
    "bk_pay_button": {
        "ru": "💳 Оплатить {total} в Kaspi",
        "kk": "💳 Kaspi арқылы {total} төлеу",
        "en": "💳 Pay {total} with Kaspi",
    },
    "wa_pay_button": {
        "ru": "Оплатить в Kaspi",
        "kk": "Kaspi-де төлеу",
        "en": "Pay with Kaspi",
    },
    "bk_kaspi_wait_confirmation": {
        "ru": "Как только Kaspi подтвердит оплату, я пришлю подтверждение.",
        "kk": "Kaspi төлемді растаған бойда растау жіберемін.",
        "en": "As soon as Kaspi confirms the payment, I will send you a confirmation.",
    },
    "bk_renew_nothing_waiting": {
        "ru": "Нет брони, которая ждёт оплату в Kaspi.",
        "kk": "Kaspi арқылы төлемді күтіп тұрған бронь жоқ.",
        "en": "There is no booking waiting for a Kaspi payment.",
    },
    "bk_renew_link_still_works": {
        "ru": "Текущая ссылка ещё действует — оплатите по ней.",
        "kk": "Қазіргі сілтеме әлі жарамды — сол арқылы төлеңіз.",
        "en": "The current link still works — please pay with it.",
    },
    "bk_renew_refused": {
        "ru": "Не получилось получить новую ссылку: бронь уже не ждёт оплаты.",
        "kk": "Жаңа сілтеме алынбады: бронь енді төлемді күтпейді.",
        "en": "Could not get a new link: the booking is no longer waiting for payment.",
    },
    "bk_invoice_held": {
        "ru": "✅ Бронь {booking_id} оформлена. Оплатите счёт по реквизитам:\n"
        "Получатель: {recipient}\nБанк: {bank}\nIBAN: {iban}\nБИН: {bin}\n"
        "Сумма: {total}\nНазначение платежа: бронь {reference}\n{note}\n"
        "⏳ Оплатить нужно в течение {left}. Когда владелец подтвердит оплату, придёт сообщение.",
        "kk": "✅ {booking_id} брондауы ресімделді. Шотты деректемелер бойынша төлеңіз:\n"
        "Алушы: {recipient}\nБанк: {bank}\nIBAN: {iban}\nБСН: {bin}\n"
        "Сомасы: {total}\nТөлем мақсаты: бронь {reference}\n{note}\n"
        "⏳ {left} ішінде төлеу керек. Иесі төлемді растағанда хабарлама келеді.",
        "en": "✅ Booking {booking_id} is held. Please pay the invoice by bank transfer:\n"
        "Recipient: {recipient}\nBank: {bank}\nIBAN: {iban}\nBIN: {bin}\n"
        "Amount: {total}\nPayment reference: booking {reference}\n{note}\n"
        "⏳ Please pay within {left}. You will get a message once the host confirms it.",
    },
    "bk_dates_taken": {
        "ru": "😔 Эти даты уже заняты. Выберите другую дату заезда:",
        "kk": "😔 Бұл күндер бос емес. Басқа кіру күнін таңдаңыз:",
        "en": "😔 Those dates have just been taken. Please choose another check-in day:",
    },
    "bk_refused": {
        "ru": "😔 Не получилось оформить бронь ({detail}). Выберите даты заново:",
        "kk": "😔 Брондау сәтсіз аяқталды ({detail}). Күндерді қайта таңдаңыз:",
        "en": "😔 The booking did not go through ({detail}). Please choose the dates again:",
    },
    "bk_service_down": {
        "ru": "Бронирование временно недоступно. Попробуйте ещё раз через минуту — "
        "ваш выбор сохранён.",
        "kk": "Брондау уақытша қолжетімсіз. Бір минуттан кейін қайталаңыз — таңдауыңыз сақталды.",
        "en": "Booking is briefly unavailable. Please try again in a minute — "
        "your choices are kept.",
    },
    "bk_hours_minutes": {"ru": "{h} ч {m} мин", "kk": "{h} сағ {m} мин", "en": "{h} h {m} min"},
    "bk_minutes": {"ru": "{m} мин", "kk": "{m} мин", "en": "{m} min"},
}
