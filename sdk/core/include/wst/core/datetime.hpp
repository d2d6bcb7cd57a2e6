// Points in time as WS-Trust carries them (xsd:dateTime) and as WWSAPI reports them
// (WS_DATETIME: 100-nanosecond ticks since 0001-01-01T00:00:00Z).
//
// std::chrono::system_clock cannot hold every xsd:dateTime an STS may send (libstdc++ counts
// nanoseconds in 64 bits: years 1678..2262), while "9999-12-31T23:59:59Z" is a common way to
// say "does not expire". datetime covers 0001..9999 exactly like WS_DATETIME.
#pragma once

#include <wst/base/result.hpp>

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace wst::detail::core {

struct datetime {
  // 100 ns units since 0001-01-01T00:00:00Z (UTC); 0 .. max_ticks.
  std::int64_t ticks = 0;

  static constexpr std::int64_t ticks_per_second = 10'000'000;
  // Ticks from 0001-01-01 to 1970-01-01.
  static constexpr std::int64_t unix_epoch_ticks = 621'355'968'000'000'000;
  // 9999-12-31T23:59:59.9999999Z.
  static constexpr std::int64_t max_ticks = 3'155'378'975'999'999'999;

  // Exact for every time_point in range (sub-100 ns parts are truncated toward the past).
  static datetime from_time_point(std::chrono::system_clock::time_point t) noexcept;
  // Saturates at the limits of system_clock::time_point.
  std::chrono::system_clock::time_point to_time_point() const noexcept;

  // "YYYY-MM-DDThh:mm:ss[.f{1,7}]Z", fractional digits without trailing zeros.
  std::string to_string() const;

  bool operator==(const datetime& o) const noexcept { return ticks == o.ticks; }
  bool operator!=(const datetime& o) const noexcept { return ticks != o.ticks; }
  bool operator<(const datetime& o) const noexcept { return ticks < o.ticks; }
  bool operator<=(const datetime& o) const noexcept { return ticks <= o.ticks; }
};

// Parses a strict xsd:dateTime: "YYYY-MM-DDThh:mm:ss", optional ".f+" fractional seconds
// (digits past the seventh are truncated), and a mandatory time zone "Z" or "+hh:mm"/"-hh:mm"
// (|offset| <= 14:00). Years 0001..9999 with exactly four digits; calendar-valid days;
// "24:00:00" (with zero fraction) means the end of that day. No leading/trailing whitespace,
// no missing time zone (a zone-less time is ambiguous for a token lifetime). The result is
// normalised to UTC and must lie in 0001-01-01T00:00:00Z .. 9999-12-31T23:59:59.9999999Z.
// Failure: errc::bad_lifetime with the reason.
result<datetime> parse_xsd_datetime(std::string_view text);

// Appends "YYYY-MM-DDThh:mm:ss.mmmZ" (milliseconds, UTC) as wsu:Timestamp values are written.
// `t` must lie in years 0001..9999 (system_clock always does on libstdc++).
void append_xsd_datetime_millis(std::string& out, std::chrono::system_clock::time_point t);

}  // namespace wst::detail::core
