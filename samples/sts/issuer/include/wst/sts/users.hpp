// The accounts the sample STS accepts: a users file with one `user:password` per line.
#pragma once

#include <wst/base/result.hpp>

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>

namespace wst::detail::sts {

// Passwords are held in memory as given (a development tool) and wiped when the table dies.
class user_table {
 public:
  static constexpr std::size_t max_file_bytes = 1 << 20;
  static constexpr std::size_t max_line_bytes = 1024;

  user_table() = default;
  user_table(user_table&&) noexcept = default;
  user_table& operator=(user_table&&) noexcept = default;
  user_table(const user_table&) = delete;
  user_table& operator=(const user_table&) = delete;
  ~user_table();

  // Parses the file's text: one `user:password` per line (split at the first ':', so the
  // password may contain ':'; LF or CRLF line ends). Empty lines and lines starting with '#'
  // are skipped. errc::bad_users_file (naming the line) for a line without ':', an empty user
  // name, a control character, a line over max_line_bytes, a duplicate user or text over
  // max_file_bytes.
  static result<user_table> parse(std::string_view text);
  // parse() of the file at `path`; errc::bad_users_file when it cannot be read.
  static result<user_table> load(const std::string& path);

  // Whether `user` exists with exactly this password (password compared in constant time).
  bool check(std::string_view user, std::string_view password) const;
  std::size_t size() const noexcept { return users_.size(); }

 private:
  std::unordered_map<std::string, std::string> users_;
};

}  // namespace wst::detail::sts
