#include <wst/core/datetime.hpp>

#include <wst/core/errors.hpp>

namespace wst::detail::core {
namespace {

using hundred_ns = std::chrono::duration<std::int64_t, std::ratio<1, 10'000'000>>;

constexpr std::int64_t ticks_per_day = 86'400LL * datetime::ticks_per_second;

// Days since 1970-01-01 of a proleptic Gregorian date (eras of 400 years = 146097 days).
constexpr std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) noexcept {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

struct civil {
  std::int64_t year;
  unsigned month, day;
};

constexpr civil civil_from_days(std::int64_t z) noexcept {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2), m, d};
}

constexpr bool leap(std::int64_t y) noexcept {
  return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
}

constexpr unsigned days_in_month(std::int64_t y, unsigned m) noexcept {
  constexpr unsigned days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && leap(y) ? 29 : days[m - 1];
}

static_assert(days_from_civil(1970, 1, 1) == 0);
static_assert(days_from_civil(1, 1, 1) * ticks_per_day == -datetime::unix_epoch_ticks);

// Reads exactly n decimal digits at s[pos..]; false if any is not a digit.
bool digits(std::string_view s, std::size_t pos, std::size_t n, unsigned& out) noexcept {
  if (pos + n > s.size()) return false;
  unsigned v = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + static_cast<unsigned>(s[i] - '0');
  }
  out = v;
  return true;
}

void append_2(std::string& out, unsigned v) {
  out += static_cast<char>('0' + v / 10);
  out += static_cast<char>('0' + v % 10);
}

void append_date_time(std::string& out, std::int64_t days, std::int64_t secs_of_day) {
  const civil c = civil_from_days(days);
  const auto year = static_cast<unsigned>(c.year);  // 1..9999 for every datetime
  append_2(out, year / 100 % 100);
  append_2(out, year % 100);
  out += '-';
  append_2(out, c.month);
  out += '-';
  append_2(out, c.day);
  out += 'T';
  append_2(out, static_cast<unsigned>(secs_of_day / 3600));
  out += ':';
  append_2(out, static_cast<unsigned>(secs_of_day / 60 % 60));
  out += ':';
  append_2(out, static_cast<unsigned>(secs_of_day % 60));
}

failure bad(std::string_view text, const char* why) {
  std::string m = "'";
  m.append(text.substr(0, 64));
  m += "' is not a strict xsd:dateTime: ";
  m += why;
  return failure(errc::bad_lifetime, std::move(m));
}

}  // namespace

datetime datetime::from_time_point(std::chrono::system_clock::time_point t) noexcept {
  const std::int64_t since_unix = std::chrono::floor<hundred_ns>(t.time_since_epoch()).count();
  std::int64_t ticks = since_unix + unix_epoch_ticks;
  if (since_unix < -unix_epoch_ticks) ticks = 0;
  if (ticks > max_ticks) ticks = max_ticks;
  return datetime{ticks};
}

std::chrono::system_clock::time_point datetime::to_time_point() const noexcept {
  using clock = std::chrono::system_clock;
  const auto lo = std::chrono::ceil<hundred_ns>(clock::duration::min()).count();
  const auto hi = std::chrono::floor<hundred_ns>(clock::duration::max()).count();
  std::int64_t v = ticks - unix_epoch_ticks;
  if (v < lo) v = lo;
  if (v > hi) v = hi;
  return clock::time_point(std::chrono::duration_cast<clock::duration>(hundred_ns(v)));
}

std::string datetime::to_string() const {
  std::string out;
  out.reserve(28);
  const std::int64_t since_unix = ticks - unix_epoch_ticks;
  std::int64_t days = since_unix / ticks_per_day;
  std::int64_t rem = since_unix % ticks_per_day;
  if (rem < 0) {
    rem += ticks_per_day;
    --days;
  }
  append_date_time(out, days, rem / ticks_per_second);
  auto frac = static_cast<unsigned>(rem % ticks_per_second);
  if (frac != 0) {
    char f[8] = {'.'};
    for (int i = 7; i >= 1; --i, frac /= 10) f[i] = static_cast<char>('0' + frac % 10);
    std::string_view fs(f, sizeof f);
    while (fs.back() == '0') fs.remove_suffix(1);
    out += fs;
  }
  out += 'Z';
  return out;
}

result<datetime> parse_xsd_datetime(std::string_view s) {
  unsigned year, month, day, hour, minute, second;
  if (!digits(s, 0, 4, year) || s.size() < 19 || s[4] != '-' || !digits(s, 5, 2, month) ||
      s[7] != '-' || !digits(s, 8, 2, day) || s[10] != 'T' || !digits(s, 11, 2, hour) ||
      s[13] != ':' || !digits(s, 14, 2, minute) || s[16] != ':' || !digits(s, 17, 2, second))
    return bad(s, "expected YYYY-MM-DDThh:mm:ss");
  if (year == 0) return bad(s, "year 0000");
  if (month < 1 || month > 12) return bad(s, "month out of range");
  if (day < 1 || day > days_in_month(year, month)) return bad(s, "day out of range");
  if (minute > 59 || second > 59 || hour > 24) return bad(s, "time out of range");

  std::size_t pos = 19;
  std::int64_t frac = 0;  // 100 ns units
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    const std::size_t start = pos;
    std::int64_t scale = datetime::ticks_per_second / 10;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      frac += (s[pos] - '0') * scale;
      scale /= 10;
      ++pos;
    }
    if (pos == start) return bad(s, "'.' without fraction digits");
  }
  if (hour == 24 && (minute != 0 || second != 0 || frac != 0))
    return bad(s, "24:xx other than 24:00:00");

  std::int64_t offset_minutes = 0;
  if (pos == s.size()) return bad(s, "missing time zone (Z or +hh:mm)");
  if (s[pos] == 'Z') {
    ++pos;
  } else if (s[pos] == '+' || s[pos] == '-') {
    unsigned oh, om;
    if (!digits(s, pos + 1, 2, oh) || pos + 3 >= s.size() || s[pos + 3] != ':' ||
        !digits(s, pos + 4, 2, om))
      return bad(s, "time zone must be +hh:mm or -hh:mm");
    if (om > 59 || oh > 14 || (oh == 14 && om != 0)) return bad(s, "time zone out of range");
    offset_minutes = (s[pos] == '-' ? -1 : 1) * static_cast<std::int64_t>(oh * 60 + om);
    pos += 6;
  } else {
    return bad(s, "unexpected character before the time zone");
  }
  if (pos != s.size()) return bad(s, "trailing characters");

  const std::int64_t days = days_from_civil(year, month, day);
  const std::int64_t secs =
      days * 86'400 + hour * 3'600LL + minute * 60LL + second - offset_minutes * 60;
  const std::int64_t ticks = secs * datetime::ticks_per_second + frac + datetime::unix_epoch_ticks;
  if (ticks < 0 || ticks > datetime::max_ticks) return bad(s, "outside years 0001..9999 UTC");
  return datetime{ticks};
}

void append_xsd_datetime_millis(std::string& out, std::chrono::system_clock::time_point t) {
  const std::int64_t ms =
      std::chrono::floor<std::chrono::milliseconds>(t.time_since_epoch()).count();
  std::int64_t days = ms / 86'400'000;
  std::int64_t rem = ms % 86'400'000;
  if (rem < 0) {
    rem += 86'400'000;
    --days;
  }
  append_date_time(out, days, rem / 1000);
  const auto milli = static_cast<unsigned>(rem % 1000);
  out += '.';
  out += static_cast<char>('0' + milli / 100);
  out += static_cast<char>('0' + milli / 10 % 10);
  out += static_cast<char>('0' + milli % 10);
  out += 'Z';
}

}  // namespace wst::detail::core
