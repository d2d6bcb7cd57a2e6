#include <wst/sts/fault.hpp>

#include <wst/sts/errc.hpp>

namespace wst::detail::sts {

namespace {

constexpr std::size_t max_delay_ms = 600000;
constexpr std::size_t max_truncate = 1 << 20;
constexpr std::size_t max_garbage = 65536;
constexpr std::size_t default_garbage = 64;
constexpr std::size_t max_content_type = 256;

// A decimal count in [lo, hi].
result<std::size_t> count(std::string_view text, std::size_t lo, std::size_t hi,
                          std::string_view what) {
  std::size_t v = 0;
  bool ok = !text.empty() && text.size() <= 9;
  for (char c : text) {
    if (c < '0' || c > '9') ok = false;
    if (ok) v = v * 10 + static_cast<std::size_t>(c - '0');
  }
  if (!ok || v < lo || v > hi)
    return failure(errc::bad_fault_spec, std::string(what) + " must be a number in " +
                                             std::to_string(lo) + ".." + std::to_string(hi) +
                                             ", not '" + std::string(text) + "'");
  return v;
}

}  // namespace

result<fault_spec> fault_spec::parse(std::string_view text) {
  const std::size_t colon = text.find(':');
  const std::string_view kind = text.substr(0, colon);
  const bool has_arg = colon != std::string_view::npos;
  const std::string_view arg = has_arg ? text.substr(colon + 1) : std::string_view();
  fault_spec f;
  auto no_arg = [&](fault_kind k) -> result<fault_spec> {
    if (has_arg)
      return failure(errc::bad_fault_spec, "fault '" + std::string(kind) + "' takes no argument");
    f.kind = k;
    return f;
  };
  if (kind == "none") return no_arg(fault_kind::none);
  if (kind == "stall") return no_arg(fault_kind::stall);
  if (kind == "http500") return no_arg(fault_kind::http500);
  if (kind == "delay") {
    if (!has_arg) return failure(errc::bad_fault_spec, "delay needs milliseconds: delay:MS");
    auto ms = count(arg, 0, max_delay_ms, "delay");
    if (!ms) return std::move(ms).error();
    f.kind = fault_kind::delay;
    f.delay = std::chrono::milliseconds(*ms);
    return f;
  }
  if (kind == "ctype") {
    if (!has_arg)
      return failure(errc::bad_fault_spec, "ctype needs the Content-Type to send: ctype:VALUE");
    if (arg.size() > max_content_type)
      return failure(errc::bad_fault_spec, "ctype: the value is longer than " +
                                               std::to_string(max_content_type) + " bytes");
    for (char c : arg)
      if (c < 0x20 || c > 0x7e)
        return failure(errc::bad_fault_spec,
                       "ctype: the value must be printable ASCII (no control characters)");
    f.kind = fault_kind::content_type;
    f.content_type = std::string(arg);
    return f;
  }
  if (kind == "reset" || kind == "truncate" || kind == "garbage") {
    f.kind = kind == "reset"      ? fault_kind::reset
             : kind == "truncate" ? fault_kind::truncate
                                  : fault_kind::garbage;
    if (has_arg) {
      auto n = f.kind == fault_kind::garbage ? count(arg, 1, max_garbage, "garbage")
                                             : count(arg, 0, max_truncate, kind);
      if (!n) return std::move(n).error();
      f.bytes = *n;
    }
    return f;
  }
  return failure(errc::bad_fault_spec, "unknown fault '" + std::string(kind) +
                                           "' (delay:MS, reset[:N], truncate[:N], garbage[:N], "
                                           "http500, stall, ctype:VALUE)");
}

reply_plan plan_reply(const fault_spec& fault, std::string wire, bool keep_alive,
                      crypto::random_source& rng) {
  reply_plan p;
  const auto normal_end =
      keep_alive ? reply_plan::after_send::keep_alive : reply_plan::after_send::close;
  switch (fault.kind) {
    case fault_kind::none:
    case fault_kind::http500:
    case fault_kind::content_type:
      p.bytes = std::move(wire);
      p.after = normal_end;
      break;
    case fault_kind::delay:
      p.delay = fault.delay;
      p.bytes = std::move(wire);
      p.after = normal_end;
      break;
    case fault_kind::reset:
      if (fault.bytes) {
        if (*fault.bytes < wire.size()) wire.resize(*fault.bytes);
        p.bytes = std::move(wire);
      }
      p.after = reply_plan::after_send::reset;
      break;
    case fault_kind::stall:
      p.after = reply_plan::after_send::stall;
      break;
    case fault_kind::truncate: {
      std::size_t n;
      if (fault.bytes) {
        n = *fault.bytes;
      } else {
        const std::size_t head = wire.find("\r\n\r\n");
        const std::size_t body_at = head == std::string::npos ? 0 : head + 4;
        n = body_at + (wire.size() - body_at) / 2;
      }
      if (n < wire.size()) wire.resize(n);
      p.bytes = std::move(wire);
      p.after = reply_plan::after_send::close;
      break;
    }
    case fault_kind::garbage: {
      p.bytes.resize(fault.bytes.value_or(default_garbage));
      rng.fill(reinterpret_cast<std::uint8_t*>(p.bytes.data()), p.bytes.size());
      if (p.bytes[0] == 'H') p.bytes[0] = static_cast<char>(0x80 | 'H');  // never "HTTP/..."
      p.after = reply_plan::after_send::close;
      break;
    }
  }
  return p;
}

}  // namespace wst::detail::sts
