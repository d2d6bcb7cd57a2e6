#include <wst/sts/errc.hpp>

#include <string>

namespace wst::detail::sts {

namespace {

class sts_category final : public std::error_category {
 public:
  const char* name() const noexcept override { return "wst.sts"; }
  std::string message(int v) const override {
    switch (static_cast<errc>(v)) {
      case errc::version_mismatch:
        return "unsupported SOAP envelope version";
      case errc::must_understand:
        return "mandatory header block not understood";
      case errc::invalid_request:
        return "the request is invalid or malformed";
      case errc::bad_request:
        return "the request is not supported";
      case errc::failed_authentication:
        return "authentication failed";
      case errc::request_failed:
        return "the request failed";
      case errc::bad_context_token:
        return "unknown security context";
      case errc::action_not_supported:
        return "action not supported";
      case errc::addressing_header_required:
        return "a required WS-Addressing header is missing";
      case errc::request_too_large:
        return "the request is too large";
      case errc::bad_users_file:
        return "bad users file";
      case errc::bad_replay_file:
        return "bad replay file";
      case errc::bad_fault_spec:
        return "bad fault specification";
      case errc::bad_key_material:
        return "bad signing key or certificate";
    }
    return "unknown sample STS error";
  }
};

}  // namespace

const std::error_category& category() noexcept {
  static const sts_category c;
  return c;
}

std::error_code make_error_code(errc e) noexcept { return {static_cast<int>(e), category()}; }

}  // namespace wst::detail::sts
