// The dates Mini App: a month calendar of one apartment from GET /api/v1/properties/{id}/calendar.
// Taken nights are disabled, each night shows its price, min/max nights are enforced while the
// guest picks; "done" sends {check_in, check_out} to the bot (Telegram.WebApp.sendData), which
// checks the stay again like typed dates.
"use strict";
(function () {
  const TEXTS = {
    ru: {
      months: "Январь,Февраль,Март,Апрель,Май,Июнь,Июль,Август,Сентябрь,Октябрь,Ноябрь,Декабрь",
      weekdays: "Пн,Вт,Ср,Чт,Пт,Сб,Вс",
      pickIn: "Выберите дату заезда",
      pickOut: "Теперь дату выезда: от {min} до {max} ночей",
      chosen: "{in} – {out}: {nights}, {total} ₸ без уборки",
      nights: (n) => n + " " + (n % 10 === 1 && n % 100 !== 11 ? "ночь"
        : n % 10 >= 2 && n % 10 <= 4 && (n % 100 < 12 || n % 100 > 14) ? "ночи" : "ночей"),
      done: "Выбрать эти даты",
      failed: "Не удалось загрузить календарь. Закройте окно и напишите даты в чате.",
    },
    kk: {
      months: "Қаңтар,Ақпан,Наурыз,Сәуір,Мамыр,Маусым,Шілде,Тамыз,Қыркүйек,Қазан,Қараша,Желтоқсан",
      weekdays: "Дс,Сс,Ср,Бс,Жм,Сн,Жс",
      pickIn: "Кіру күнін таңдаңыз",
      pickOut: "Енді шығу күнін: {min}–{max} түн",
      chosen: "{in} – {out}: {nights}, {total} ₸ тазалаусыз",
      nights: (n) => n + " түн",
      done: "Осы күндерді таңдау",
      failed: "Күнтізбе жүктелмеді. Терезені жауып, күндерді чатқа жазыңыз.",
    },
    en: {
      months: "January,February,March,April,May,June,July,August,September,October,November,December",
      weekdays: "Mo,Tu,We,Th,Fr,Sa,Su",
      pickIn: "Pick your check-in day",
      pickOut: "Now your check-out: {min} to {max} nights",
      chosen: "{in} – {out}: {nights}, {total} ₸ before cleaning",
      nights: (n) => n + (n === 1 ? " night" : " nights"),
      done: "Choose these dates",
      failed: "The calendar did not load. Close this window and type your dates in the chat.",
    },
  };
  const params = new URLSearchParams(location.search);
  const T = TEXTS[params.get("lang")] || TEXTS.ru;
  const tg = window.Telegram && window.Telegram.WebApp;
  const $ = (id) => document.getElementById(id);
  const fill = (s, v) => s.replace(/\{(\w+)\}/g, (_, k) => String(v[k]));
  const iso = (d) => d.toISOString().slice(0, 10);
  const parse = (s) => new Date(s + "T00:00:00Z");
  const addDays = (d, n) => new Date(d.getTime() + n * 86400000);
  const short = (d) => iso(d).slice(8, 10) + "." + iso(d).slice(5, 7);
  const money = (n) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, " ");

  const from = parse(params.get("from"));
  const lastCheckIn = parse(params.get("until"));
  let nights = new Map(); // "YYYY-MM-DD" -> {available, price}
  let minNights = 1, maxNights = 1;
  let checkIn = null, checkOut = null;
  let shown = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), 1));

  const free = (d) => (nights.get(iso(d)) || {}).available === true;
  function freeRun(start, count) {
    for (let i = 0; i < count; i++) if (!free(addDays(start, i))) return false;
    return true;
  }
  const canCheckIn = (d) => d >= from && d <= lastCheckIn && freeRun(d, minNights);
  function canCheckOut(d) {
    if (!checkIn) return false;
    const n = Math.round((d - checkIn) / 86400000);
    return n >= minNights && n <= maxNights && freeRun(checkIn, n);
  }
  function total(a, b) {
    let sum = 0;
    for (let d = a; d < b; d = addDays(d, 1)) sum += nights.get(iso(d)).price;
    return sum;
  }

  function draw() {
    $("month").textContent = T.months.split(",")[shown.getUTCMonth()] + " " + shown.getUTCFullYear();
    $("prev").disabled = shown <= new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), 1));
    $("next").disabled = shown > lastCheckIn;
    const grid = $("days");
    grid.replaceChildren();
    const lead = (shown.getUTCDay() + 6) % 7;
    for (let i = 0; i < lead; i++) grid.append(Object.assign(document.createElement("div"), { className: "blank" }));
    const month = shown.getUTCMonth();
    for (let d = shown; d.getUTCMonth() === month; d = addDays(d, 1)) {
      const day = d;
      const cell = document.createElement("button");
      cell.type = "button";
      cell.className = "day";
      cell.dataset.date = iso(day);
      cell.textContent = String(day.getUTCDate());
      const night = nights.get(iso(day));
      if (night && night.available) {
        const price = document.createElement("small");
        price.textContent = money(Math.round(night.price / 1000)) + "k";
        cell.append(price);
      }
      // Choosing the check-out: later days only where the stay is allowed; an earlier day
      // starts the choice again.
      const choosingOut = checkIn && !checkOut && day > checkIn;
      cell.disabled = choosingOut ? !canCheckOut(day) : !canCheckIn(day);
      if (checkIn && iso(day) === iso(checkIn)) cell.classList.add("edge");
      if (checkOut && iso(day) === iso(checkOut)) cell.classList.add("edge");
      if (checkIn && checkOut && day > checkIn && day < checkOut) cell.classList.add("in");
      cell.addEventListener("click", () => choose(day));
      grid.append(cell);
    }
    if (checkIn && checkOut) {
      const n = Math.round((checkOut - checkIn) / 86400000);
      $("status").textContent = fill(T.chosen, { in: short(checkIn), out: short(checkOut), nights: T.nights(n), total: money(total(checkIn, checkOut)) });
    } else if (checkIn) {
      $("status").textContent = fill(T.pickOut, { min: minNights, max: maxNights });
    } else {
      $("status").textContent = T.pickIn;
    }
    $("done").disabled = !(checkIn && checkOut);
    if (tg && tg.MainButton) {
      if (checkIn && checkOut) tg.MainButton.setText(T.done).show();
      else tg.MainButton.hide();
    }
  }

  function choose(day) {
    if (checkIn && !checkOut && canCheckOut(day)) checkOut = day;
    else { checkIn = day; checkOut = null; }
    draw();
  }

  function send() {
    if (!(checkIn && checkOut)) return;
    const data = JSON.stringify({
      check_in: iso(checkIn), check_out: iso(checkOut), property: Number(params.get("property")),
    });
    if (tg) tg.sendData(data); // Telegram closes the Mini App and posts web_app_data
  }

  $("prev").addEventListener("click", () => { shown = new Date(Date.UTC(shown.getUTCFullYear(), shown.getUTCMonth() - 1, 1)); draw(); });
  $("next").addEventListener("click", () => { shown = new Date(Date.UTC(shown.getUTCFullYear(), shown.getUTCMonth() + 1, 1)); draw(); });
  $("done").textContent = T.done;
  $("done").addEventListener("click", send);
  for (const w of T.weekdays.split(",")) $("weekdays").append(Object.assign(document.createElement("div"), { textContent: w }));
  if (tg) {
    tg.ready();
    if (tg.expand) tg.expand();
    if (tg.MainButton) tg.MainButton.onClick(send);
  }

  // Nights up to the last check-in plus the longest stay, at most 366 per request.
  const base = "/api/v1/properties/" + encodeURIComponent(params.get("property")) + "/calendar";
  const get = (a, b) => fetch(base + "?start=" + iso(a) + "&end=" + iso(b)).then((r) => {
    if (!r.ok) throw new Error(String(r.status));
    return r.json();
  });
  const firstEnd = addDays(from, 366) < addDays(lastCheckIn, 1) ? addDays(from, 366) : addDays(lastCheckIn, 1);
  get(from, firstEnd).then(async (cal) => {
    minNights = cal.min_nights; maxNights = cal.max_nights;
    const all = cal.nights.slice();
    const need = addDays(lastCheckIn, maxNights);
    for (let a = firstEnd; a < need; a = addDays(a, 366)) {
      const b = addDays(a, 366) < need ? addDays(a, 366) : need;
      all.push(...(await get(a, b)).nights);
    }
    nights = new Map(all.map((n) => [n.date, n]));
    document.body.dataset.ready = "1";
    draw();
  }).catch(() => { $("status").textContent = T.failed; document.body.dataset.ready = "failed"; });
})();
