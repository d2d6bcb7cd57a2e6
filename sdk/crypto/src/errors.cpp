// The crypto layer's error category and the mapping of exceptions to failures.
#include "backend.hpp"

#include <botan/exceptn.h>

#include <exception>
#include <new>
#include <string>

namespace wst::detail::crypto {
namespace {

class crypto_category final : public std::error_category {
 public:
  const char* name() const noexcept override { return "wst.crypto"; }
  std::string message(int code) const override {
    switch (static_cast<errc>(code)) {
      case errc::bad_base64:
        return "invalid base64";
      case errc::bad_key:
        return "invalid key or certificate";
      case errc::bad_length:
        return "length out of range";
      case errc::signature_invalid:
        return "signature does not verify";
      case errc::backend_failure:
        return "cryptographic backend failure";
      case errc::bad_text:
        return "invalid text";
    }
    return "unknown crypto error " + std::to_string(code);
  }
};

}  // namespace

const std::error_category& category() noexcept {
  static const crypto_category instance;
  return instance;
}

std::error_code make_error_code(errc e) noexcept { return {static_cast<int>(e), category()}; }

failure current_failure(errc parse_code, std::string_view context) noexcept {
  errc code = errc::backend_failure;
  const char* what = "unknown exception";
  try {
    throw;
  } catch (const std::bad_alloc&) {
    what = "out of memory";
  } catch (const Botan::Internal_Error& e) {
    what = e.what();
  } catch (const std::exception& e) {
    code = parse_code;
    what = e.what();
  } catch (...) {
  }
  try {
    std::string message(context);
    message += ": ";
    message += what;
    return failure(code, std::move(message));
  } catch (...) {
    return failure(code);  // no memory for the text: the code alone still says what failed
  }
}

}  // namespace wst::detail::crypto
