#include "conversion.hpp"

#include <wst/core/datetime.hpp>

#include <string.h>

namespace wst {

struct token::data {
  std::shared_ptr<const detail::core::issued_token> core;
  std::vector<std::uint8_t> proof_key;

  ~data() {
    if (!proof_key.empty()) explicit_bzero(proof_key.data(), proof_key.size());
  }
};

namespace {

const std::string& empty_string() {
  static const std::string s;
  return s;
}

std::optional<std::chrono::system_clock::time_point> instant(const std::optional<detail::core::datetime>& t) {
  if (!t) return std::nullopt;
  return t->to_time_point();
}

}  // namespace

token::token() = default;

const std::string& token::xml() const noexcept { return d_ ? d_->core->xml : empty_string(); }
const std::string& token::token_type() const noexcept { return d_ ? d_->core->token_type : empty_string(); }
const std::string& token::attached_reference() const noexcept {
  return d_ ? d_->core->attached_reference : empty_string();
}
const std::string& token::unattached_reference() const noexcept {
  return d_ ? d_->core->unattached_reference : empty_string();
}
std::optional<std::chrono::system_clock::time_point> token::valid_from() const noexcept {
  return d_ ? instant(d_->core->valid_from) : std::nullopt;
}
std::optional<std::chrono::system_clock::time_point> token::valid_till() const noexcept {
  return d_ ? instant(d_->core->valid_till) : std::nullopt;
}
std::string token::valid_from_text() const {
  return d_ && d_->core->valid_from ? d_->core->valid_from->to_string() : std::string();
}
std::string token::valid_till_text() const {
  return d_ && d_->core->valid_till ? d_->core->valid_till->to_string() : std::string();
}
key_type token::key() const noexcept {
  return d_ ? static_cast<key_type>(static_cast<int>(d_->core->key)) : key_type::bearer;
}
const std::vector<std::uint8_t>& token::proof_key() const noexcept {
  static const std::vector<std::uint8_t> none;
  return d_ ? d_->proof_key : none;
}
std::uint32_t token::key_size_bits() const noexcept { return d_ ? d_->core->key_size_bits : 0; }
const std::string& token::context_id() const noexcept { return d_ ? d_->core->context_id : empty_string(); }
const std::string& token::context_instance() const noexcept {
  return d_ ? d_->core->context_instance : empty_string();
}

namespace detail {

token token_access::make(std::shared_ptr<const core::issued_token> t) {
  token out;
  if (!t) return out;
  auto d = std::make_shared<token::data>();
  d->proof_key.assign(t->proof_key.data(), t->proof_key.data() + t->proof_key.size());
  d->core = std::move(t);
  out.d_ = std::move(d);
  return out;
}

const core::issued_token* token_access::get(const token& t) noexcept { return t.d_ ? t.d_->core.get() : nullptr; }

}  // namespace detail
}  // namespace wst
