// xsd:dateTime in UTC with milliseconds, as WS-Trust Lifetime and SAML use it.
#pragma once

#include <chrono>
#include <cstdio>
#include <ctime>
#include <string>

namespace wst::detail::sts {

// "2024-02-14T02:06:53.311Z".
inline std::string xsd_datetime(std::chrono::system_clock::time_point t) {
  using namespace std::chrono;
  const auto ms = duration_cast<milliseconds>(t.time_since_epoch()).count();
  std::time_t secs = static_cast<std::time_t>(ms / 1000);
  long frac = static_cast<long>(ms % 1000);
  if (frac < 0) {
    frac += 1000;
    --secs;
  }
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[96];  // room for any int the format could meet
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, frac);
  return buf;
}

}  // namespace wst::detail::sts
