"""Texts of the owner's edits: price, description, photos, access codes, blocked nights."""

TEXTS: dict[str, dict[str, str]] = {
    "btn_rules_notice": {
        "ru": "⏳ Заезд не сразу",
        "kk": "⏳ Алдын ала хабар",
        "en": "⏳ Advance notice",
    },
    "btn_rules_turnover": {
        "ru": "🧽 Уборка между гостями",
        "kk": "🧽 Қонақтар арасында тазалау",
        "en": "🧽 Turnover nights",
    },
    "owner_rules_notice": {
        "ru": "⏳ Заезд не раньше чем через {days:days}",
        "kk": "⏳ Кіру {days} күннен кейін ғана",
        "en": "⏳ Check-in at least {days:days} ahead",
    },
    "owner_rules_cutoff": {
        "ru": "⏳ Заезд в тот же день — до {hour}:00",
        "kk": "⏳ Сол күні кіру — {hour}:00 дейін",
        "en": "⏳ Same-day check-in until {hour}:00",
    },
    "owner_rules_turnover": {
        "ru": "🧽 После каждых гостей свободно {nights:nights} на уборку",
        "kk": "🧽 Әр қонақтан кейін тазалауға {nights} түн бос",
        "en": "🧽 {nights:nights} kept free after each stay to prepare",
    },
    "owner_rules_notice_ask": {
        "ru": "За сколько дней до заезда бронировать, например «2». «0 18» — можно в тот же "
        "день до 18:00; «0» — без ограничений.",
        "kk": "Кіруге неше күн қалғанда брондауға болады, мысалы «2». «0 18» — сол күні 18:00-ге "
        "дейін; «0» — шектеусіз.",
        "en": "How many days ahead a booking must be made, e.g. “2”. “0 18”: same day until "
        "18:00; “0”: no limit.",
    },
    "owner_rules_notice_bad": {
        "ru": "Напишите число дней (до 90), или «0 18» для заезда в тот же день до 18:00.",
        "kk": "Күн санын жазыңыз (90-ға дейін), не сол күнгі кіру үшін «0 18».",
        "en": "Please type a number of days (up to 90), or “0 18” for same-day until 18:00.",
    },
    "owner_rules_turnover_ask": {
        "ru": "Сколько ночей оставлять свободными после гостей на уборку, например «1». "
        "«0» — не оставлять.",
        "kk": "Қонақтардан кейін тазалауға неше түн бос қалдыру керек, мысалы «1». «0» — жоқ.",
        "en": "How many nights to keep free after each stay to prepare, e.g. “1”. “0”: none.",
    },
    "owner_rules_turnover_bad": {
        "ru": "Напишите число ночей от 0 до 7.",
        "kk": "0-ден 7-ге дейін түн санын жазыңыз.",
        "en": "Please type a number of nights from 0 to 7.",
    },
    "btn_owner_rules": {
        "ru": "💰 Цены и правила",
        "kk": "💰 Бағалар мен ережелер",
        "en": "💰 Prices and rules",
    },
    "btn_rules_weekend": {
        "ru": "🌙 Цена выходных",
        "kk": "🌙 Демалыс бағасы",
        "en": "🌙 Weekend price",
    },
    "btn_rules_discount": {
        "ru": "🏷 Скидка за срок",
        "kk": "🏷 Мерзім жеңілдігі",
        "en": "🏷 Stay discount",
    },
    "btn_rules_season": {"ru": "📆 Сезон", "kk": "📆 Маусым", "en": "📆 Season"},
    "btn_rules_holiday": {"ru": "🎉 Праздник", "kk": "🎉 Мереке", "en": "🎉 Holiday"},
    "btn_rules_extra": {
        "ru": "👥 Доп. гости",
        "kk": "👥 Қосымша қонақтар",
        "en": "👥 Extra guests",
    },
    "btn_rules_clear": {
        "ru": "🧹 Сбросить правила",
        "kk": "🧹 Ережелерді тазалау",
        "en": "🧹 Clear the rules",
    },
    "owner_rules_title": {
        "ru": "💰 «{title}»: базовая цена {price} ₸ за ночь.",
        "kk": "💰 «{title}»: негізгі баға түніне {price} ₸.",
        "en": "💰 “{title}”: base price {price} ₸ a night.",
    },
    "owner_rules_none": {
        "ru": "Других правил нет: каждая ночь по базовой цене.",
        "kk": "Басқа ереже жоқ: әр түн негізгі бағамен.",
        "en": "No other rules: every night at the base price.",
    },
    "owner_rules_weekend": {
        "ru": "🌙 Выходные ({days}): {price} ₸",
        "kk": "🌙 Демалыс ({days}): {price} ₸",
        "en": "🌙 Weekend ({days}): {price} ₸",
    },
    "owner_rules_discount": {
        "ru": "🏷 От {nights:nights}: −{percent} %",
        "kk": "🏷 {nights} түннен: −{percent} %",
        "en": "🏷 From {nights:nights}: −{percent} %",
    },
    "owner_rules_season": {
        "ru": "📆 {start}–{end}: {price} ₸{minimum}",
        "kk": "📆 {start}–{end}: {price} ₸{minimum}",
        "en": "📆 {start}–{end}: {price} ₸{minimum}",
    },
    "owner_rules_min": {
        "ru": ", минимум {nights:nights}",
        "kk": ", кемінде {nights} түн",
        "en": ", at least {nights:nights}",
    },
    "owner_rules_holiday": {
        "ru": "🎉 {night}: {price} ₸",
        "kk": "🎉 {night}: {price} ₸",
        "en": "🎉 {night}: {price} ₸",
    },
    "owner_rules_extra": {
        "ru": "👥 {fee} ₸ за ночь за каждого гостя сверх {included}",
        "kk": "👥 {included} қонақтан асқан әрқайсысына түніне {fee} ₸",
        "en": "👥 {fee} ₸ a night for each guest above {included}",
    },
    "owner_rules_preview_title": {
        "ru": "Так гость увидит цену:",
        "kk": "Қонақ бағаны осылай көреді:",
        "en": "What a guest would pay:",
    },
    "owner_rules_preview": {
        "ru": "• {nights:nights} с {start}: {total} ₸",
        "kk": "• {start} бастап {nights} түн: {total} ₸",
        "en": "• {nights:nights} from {start}: {total} ₸",
    },
    "owner_rules_preview_refused": {
        "ru": "• с {start}: нельзя ({reason})",
        "kk": "• {start} бастап: болмайды ({reason})",
        "en": "• from {start}: not possible ({reason})",
    },
    "owner_rules_pick": {
        "ru": "Выберите правило кнопкой ниже.",
        "kk": "Ережені төмендегі батырмамен таңдаңыз.",
        "en": "Pick a rule with a button below.",
    },
    "owner_rules_saved": {
        "ru": "✅ Сохранено. Новые цены уже в поиске и в расчётах.",
        "kk": "✅ Сақталды. Жаңа бағалар іздеуде және есептеулерде.",
        "en": "✅ Saved. Search and quotes use the new prices now.",
    },
    "owner_rules_invalid": {
        "ru": "Не получилось: {detail}.",
        "kk": "Болмады: {detail}.",
        "en": "Not saved: {detail}.",
    },
    "owner_rules_weekend_ask": {
        "ru": "Цена ночи пятницы и субботы в тенге, например 30000. «0» — убрать.",
        "kk": "Жұма мен сенбі түнінің бағасы теңгемен, мысалы 30000. «0» — алып тастау.",
        "en": "The price of Friday and Saturday nights in tenge, e.g. 30000. “0” removes it.",
    },
    "owner_rules_weekend_bad": {
        "ru": "Напишите одну цену числом, например 30000.",
        "kk": "Бір бағаны санмен жазыңыз, мысалы 30000.",
        "en": "Please type one price as a number, e.g. 30000.",
    },
    "owner_rules_discount_ask": {
        "ru": "От скольких ночей и сколько процентов, например «7 10» (от 7 ночей −10 %). "
        "«7 0» — убрать эту скидку.",
        "kk": "Неше түннен және неше пайыз, мысалы «7 10» (7 түннен −10 %). «7 0» — алып тастау.",
        "en": "From how many nights and how many percent, e.g. “7 10” (7+ nights −10 %). "
        "“7 0” removes that discount.",
    },
    "owner_rules_discount_bad": {
        "ru": "Напишите два числа: ночи (от 2) и процент (1–90), например «7 10».",
        "kk": "Екі сан жазыңыз: түн (2-ден) және пайыз (1–90), мысалы «7 10».",
        "en": "Please type two numbers: nights (2 or more) and a percent (1–90), e.g. “7 10”.",
    },
    "owner_rules_season_ask": {
        "ru": "Даты и цена ночи, например «01.06–31.08 26000»; можно добавить «мин 3» — "
        "минимум ночей в сезон. «01.06–31.08 0» — убрать сезон.",
        "kk": "Күндер мен түн бағасы, мысалы «01.06–31.08 26000»; «кемінде 3» қосуға болады. "
        "«01.06–31.08 0» — алып тастау.",
        "en": "Dates and the nightly price, e.g. “01.06–31.08 26000”; add “min 3” for a "
        "minimum stay in the season. “01.06–31.08 0” removes it.",
    },
    "owner_rules_season_bad": {
        "ru": "Нужны две даты и цена, например «01.06–31.08 26000».",
        "kk": "Екі күн және баға керек, мысалы «01.06–31.08 26000».",
        "en": "Two dates and a price, please, e.g. “01.06–31.08 26000”.",
    },
    "owner_rules_holiday_ask": {
        "ru": "Дата и цена этой ночи, например «31.12 45000». «31.12 0» — убрать.",
        "kk": "Күн және сол түннің бағасы, мысалы «31.12 45000». «31.12 0» — алып тастау.",
        "en": "A date and that night's price, e.g. “31.12 45000”. “31.12 0” removes it.",
    },
    "owner_rules_holiday_bad": {
        "ru": "Нужны дата и цена, например «31.12 45000».",
        "kk": "Күн және баға керек, мысалы «31.12 45000».",
        "en": "A date and a price, please, e.g. “31.12 45000”.",
    },
    "owner_rules_extra_ask": {
        "ru": "Доплата за ночь за каждого гостя сверх включённых, например «3000 2» "
        "(3 000 ₸ за каждого сверх двух). «0» — без доплаты.",
        "kk": "Қосылғаннан тыс әр қонаққа түніне қосымша төлем, мысалы «3000 2». «0» — төлемсіз.",
        "en": "A fee per night for each guest above those included, e.g. “3000 2” "
        "(3 000 ₸ for each above two). “0” removes it.",
    },
    "owner_rules_extra_bad": {
        "ru": "Напишите доплату и сколько гостей включено, например «3000 2».",
        "kk": "Қосымша төлем мен қанша қонақ кіретінін жазыңыз, мысалы «3000 2».",
        "en": "Please type the fee and how many guests are included, e.g. “3000 2”.",
    },
    "owner_price_ask": {
        "ru": "Сейчас {price} ₸ за ночь. Введите новую цену в тенге целым числом, например 25000:",
        "kk": "Қазір түніне {price} ₸. Жаңа бағаны теңгемен бүтін санмен енгізіңіз, мысалы 25000:",
        "en": "Now {price} ₸ per night. Type the new price in tenge as a whole number, e.g. 25000:",
    },
    "owner_price_bad": {
        "ru": "Цена — целое число тенге больше нуля, например 25000. Попробуйте ещё раз:",
        "kk": "Баға — нөлден үлкен бүтін теңге саны, мысалы 25000. Қайталап көріңіз:",
        "en": "The price is a whole number of tenge above zero, e.g. 25000. Please try again:",
    },
    "owner_price_too_high": {
        "ru": "Слишком высокая цена: не больше {max} ₸ за ночь. Введите другую:",
        "kk": "Баға тым жоғары: түніне {max} ₸-ден аспауы керек. Басқасын енгізіңіз:",
        "en": "That price is too high: at most {max} ₸ per night. Please type another:",
    },
    "owner_price_saved": {
        "ru": "💰 Цена обновлена: {old} → {new} ₸ за ночь. В поиске уже новая цена.",
        "kk": "💰 Баға жаңартылды: түніне {old} → {new} ₸. Іздеуде жаңа баға көрінеді.",
        "en": "💰 Price updated: {old} → {new} ₸ per night. Search already shows it.",
    },
    "owner_description_ask": {
        "ru": "Пришлите новое описание одним сообщением (до 4000 символов). Сейчас:\n\n{current}",
        "kk": "Жаңа сипаттаманы бір хабарламамен жіберіңіз (4000 таңбаға дейін). Қазір:\n\n"
        "{current}",
        "en": "Send the new description in one message (up to 4000 characters). Now:\n\n{current}",
    },
    "owner_description_bad": {
        "ru": "Описание — это текст до 4000 символов. Пришлите его одним сообщением:",
        "kk": "Сипаттама — 4000 таңбаға дейінгі мәтін. Оны бір хабарламамен жіберіңіз:",
        "en": "The description is text of up to 4000 characters. Send it in one message:",
    },
    "owner_description_saved": {
        "ru": "📝 Описание обновлено.",
        "kk": "📝 Сипаттама жаңартылды.",
        "en": "📝 Description updated.",
    },
    "owner_photos_ask": {
        "ru": "Сейчас фото: {count}. Пришлите фото квартиры — можно несколько, как фото или "
        "файлом (JPEG, PNG). Когда закончите, нажмите «✅ Готово».",
        "kk": "Қазір фото: {count}. Пәтердің фотосын жіберіңіз — бірнешеуін, фото немесе файл "
        "ретінде (JPEG, PNG). Аяқтаған соң «✅ Дайын» басыңыз.",
        "en": "Photos now: {count}. Send photos of the apartment — several if you like, as "
        "photos or files (JPEG, PNG). Press “✅ Done” when finished.",
    },
    "btn_owner_done": {"ru": "✅ Готово", "kk": "✅ Дайын", "en": "✅ Done"},
    "owner_photo_saved": {
        "ru": "📷 Фото добавлено ({count} из {max}). Пришлите ещё или нажмите «✅ Готово».",
        "kk": "📷 Фото қосылды ({max} ішінен {count}). Тағы жіберіңіз немесе «✅ Дайын» басыңыз.",
        "en": "📷 Photo added ({count} of {max}). Send another or press “✅ Done”.",
    },
    "owner_photo_expected": {
        "ru": "Жду фото квартиры: отправьте изображение (как фото или файлом) или нажмите "
        "«✅ Готово».",
        "kk": "Пәтердің фотосын күтемін: суретті (фото немесе файл ретінде) жіберіңіз немесе "
        "«✅ Дайын» басыңыз.",
        "en": "I'm waiting for a photo of the apartment: send an image (as a photo or a file) "
        "or press “✅ Done”.",
    },
    "owner_photo_unreadable": {
        "ru": "Не получилось прочитать это изображение. Пришлите фото в формате JPEG, PNG "
        "или WEBP.",
        "kk": "Бұл суретті оқу мүмкін болмады. JPEG, PNG немесе WEBP форматындағы фото жіберіңіз.",
        "en": "I couldn't read that image. Please send a JPEG, PNG or WEBP photo.",
    },
    "owner_photo_too_many_pixels": {
        "ru": "Слишком большое разрешение (до {side} точек по стороне и {megapixels} Мп). "
        "Уменьшите фото и пришлите ещё раз.",
        "kk": "Ажыратымдылығы тым үлкен (бір жағы {side} нүктеге дейін, {megapixels} Мп). "
        "Фотоны кішірейтіп, қайта жіберіңіз.",
        "en": "The resolution is too high (at most {side} pixels a side and {megapixels} MP). "
        "Please scale the photo down and send it again.",
    },
    "owner_photo_too_big": {
        "ru": "Файл слишком большой (до 20 МБ). Пришлите фото поменьше.",
        "kk": "Файл тым үлкен (20 МБ-қа дейін). Кішірек фото жіберіңіз.",
        "en": "The file is too big (20 MB at most). Please send a smaller photo.",
    },
    "owner_photo_too_many": {
        "ru": "У квартиры уже {max} фото — это максимум.",
        "kk": "Пәтерде {max} фото бар — бұл ең көбі.",
        "en": "The apartment already has {max} photos — that's the maximum.",
    },
    "owner_photo_download_failed": {
        "ru": "Не удалось получить фото из Telegram. Отправьте его ещё раз, пожалуйста.",
        "kk": "Фотоны Telegram-нан алу мүмкін болмады. Қайта жіберіңізші.",
        "en": "I couldn't fetch that photo from Telegram. Please send it again.",
    },
    "owner_codes_ask": {
        "ru": "🔑 Коды доступа: сейф — {key_safe}, умный замок — {smart_lock}.\n"
        "Какой код изменить? Коды хранятся в зашифрованном виде, гость получит их перед заездом.",
        "kk": "🔑 Кіру кодтары: сейф — {key_safe}, смарт құлып — {smart_lock}.\n"
        "Қай кодты өзгертеміз? Кодтар шифрланып сақталады, қонақ оларды кірер алдында алады.",
        "en": "🔑 Access codes: key safe — {key_safe}, smart lock — {smart_lock}.\n"
        "Which code to change? Codes are stored encrypted; the guest gets them before check-in.",
    },
    "btn_owner_code_key_safe": {
        "ru": "🔐 Код сейфа",
        "kk": "🔐 Сейф коды",
        "en": "🔐 Key safe code",
    },
    "btn_owner_code_smart_lock": {
        "ru": "📲 Код умного замка",
        "kk": "📲 Смарт құлып коды",
        "en": "📲 Smart lock code",
    },
    "owner_code_ask": {
        "ru": "Отправьте новый код одним сообщением. Я сохраню его зашифрованным и сразу удалю "
        "ваше сообщение из чата.",
        "kk": "Жаңа кодты бір хабарламамен жіберіңіз. Мен оны шифрлап сақтаймын және "
        "хабарламаңызды чаттан бірден өшіремін.",
        "en": "Send the new code in one message. I'll store it encrypted and delete your "
        "message from the chat right away.",
    },
    "owner_code_saved": {
        "ru": "🔐 Код сохранён: {masked}. Сообщение с кодом удалено из чата.",
        "kk": "🔐 Код сақталды: {masked}. Коды бар хабарлама чаттан өшірілді.",
        "en": "🔐 Code saved: {masked}. The message with the code was deleted from the chat.",
    },
    "owner_code_saved_not_deleted": {
        "ru": "🔐 Код сохранён: {masked}. Удалите, пожалуйста, сообщение с кодом из чата сами.",
        "kk": "🔐 Код сақталды: {masked}. Коды бар хабарламаны чаттан өзіңіз өшіріңізші.",
        "en": "🔐 Code saved: {masked}. Please delete the message with the code yourself.",
    },
    "owner_code_bad": {
        "ru": "Код — от 3 до 32 символов без пробелов. Ваше сообщение удалено; отправьте код "
        "ещё раз:",
        "kk": "Код — бос орынсыз 3-тен 32-ге дейін таңба. Хабарламаңыз өшірілді; кодты қайта "
        "жіберіңіз:",
        "en": "A code is 3 to 32 characters without spaces. Your message was deleted; please "
        "send the code again:",
    },
    "owner_text_expected": {
        "ru": "Здесь нужен текст. Отправьте его одним сообщением или нажмите «◀️ Назад».",
        "kk": "Мұнда мәтін керек. Оны бір хабарламамен жіберіңіз немесе «◀️ Артқа» басыңыз.",
        "en": "Text is needed here. Send it in one message or press “◀️ Back”.",
    },
    "owner_block_ask": {
        "ru": "С какой ночи закрыть даты? Выберите свободную ночь из ближайших 30 дней "
        "или введите дату как ДД.ММ:",
        "kk": "Қай түннен бастап күндерді жабамыз? Алдағы 30 күннің бос түнін таңдаңыз "
        "немесе күнді КК.АА түрінде енгізіңіз:",
        "en": "From which night to block? Pick a free night in the next 30 days or type "
        "a date as DD.MM:",
    },
    "owner_unblock_ask": {
        "ru": "С какой ночи открыть даты? Ночи, закрытые вами:",
        "kk": "Қай түннен бастап күндерді ашамыз? Сіз жапқан түндер:",
        "en": "From which night to unblock? Nights you blocked:",
    },
    "owner_unblock_none": {
        "ru": "Вы не закрывали ни одной будущей ночи этой квартиры.",
        "kk": "Сіз бұл пәтердің алдағы түндерінің ешқайсысын жаппағансыз.",
        "en": "You haven't blocked any upcoming night of this apartment.",
    },
    "owner_nights_ask": {
        "ru": "Сколько ночей, начиная с {day}? Выберите или введите число от 1 до {max}:",
        "kk": "{day} бастап неше түн? Таңдаңыз немесе 1-ден {max}-ге дейін сан енгізіңіз:",
        "en": "How many nights from {day}? Pick or type a number from 1 to {max}:",
    },
    "owner_day_bad": {
        "ru": "Не понял дату. Выберите её на клавиатуре или введите как ДД.ММ — сегодня "
        "или позже, в пределах года:",
        "kk": "Күнді түсінбедім. Оны пернетақтадан таңдаңыз немесе КК.АА түрінде енгізіңіз — "
        "бүгін немесе кейін, бір жыл ішінде:",
        "en": "I didn't get the date. Pick it on the keyboard or type it as DD.MM — today "
        "or later, within a year:",
    },
    "owner_nights_bad": {
        "ru": "Нужно число ночей от 1 до {max}. Выберите его на клавиатуре:",
        "kk": "1-ден {max}-ге дейінгі түн саны керек. Оны пернетақтадан таңдаңыз:",
        "en": "I need a number of nights from 1 to {max}. Pick it on the keyboard:",
    },
    "owner_blocked_done": {
        "ru": "🚫 Закрыто ночей: {count} ({nights}). Гости не смогут их забронировать.",
        "kk": "🚫 Жабылған түндер: {count} ({nights}). Қонақтар оларды броньдай алмайды.",
        "en": "🚫 Nights blocked: {count} ({nights}). Guests can't book them.",
    },
    "owner_unblocked_done": {
        "ru": "✅ Открыто ночей: {count} ({nights}). Они снова доступны для бронирования.",
        "kk": "✅ Ашылған түндер: {count} ({nights}). Олар қайтадан брондауға қолжетімді.",
        "en": "✅ Nights unblocked: {count} ({nights}). They can be booked again.",
    },
    "owner_calendar_conflicts": {
        "ru": "⚠️ Заняты бронированиями — не тронуты: {nights}.",
        "kk": "⚠️ Броньмен бос емес — өзгертілмеді: {nights}.",
        "en": "⚠️ Held by bookings — left as they are: {nights}.",
    },
    "owner_calendar_already_blocked": {
        "ru": "Уже были закрыты: {nights}.",
        "kk": "Бұрыннан жабық болған: {nights}.",
        "en": "Already blocked: {nights}.",
    },
    "owner_calendar_already_free": {
        "ru": "И так были свободны: {nights}.",
        "kk": "Онсыз да бос болған: {nights}.",
        "en": "Already free: {nights}.",
    },
    "owner_calendar_failed": {
        "ru": "Не получилось изменить календарь. Попробуйте ещё раз чуть позже.",
        "kk": "Күнтізбені өзгерту мүмкін болмады. Сәлден соң қайталап көріңіз.",
        "en": "I couldn't change the calendar. Please try again a bit later.",
    },
    "owner_weekdays": {
        "ru": "Пн Вт Ср Чт Пт Сб Вс",
        "kk": "Дс Сс Ср Бс Жм Сн Жс",
        "en": "Mon Tue Wed Thu Fri Sat Sun",
    },
}
