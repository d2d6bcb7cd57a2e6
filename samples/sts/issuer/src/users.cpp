#include <wst/sts/users.hpp>

#include "text.hpp"

#include <wst/crypto/crypto.hpp>
#include <wst/sts/errc.hpp>

#include <fstream>

namespace wst::detail::sts {

user_table::~user_table() {
  for (auto& [name, password] : users_) wipe_string(password);
}

result<user_table> user_table::parse(std::string_view text) {
  if (text.size() > max_file_bytes)
    return failure(errc::bad_users_file, "more than " + std::to_string(max_file_bytes) + " bytes");
  user_table t;
  std::size_t line_no = 0;
  while (!text.empty()) {
    ++line_no;
    std::size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    const std::string where = "line " + std::to_string(line_no);
    if (line.size() > max_line_bytes) return failure(errc::bad_users_file, where + " is too long");
    if (line.empty() || line.front() == '#') continue;
    for (char c : line)
      if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
        return failure(errc::bad_users_file, where + " holds a control character");
    std::size_t colon = line.find(':');
    if (colon == std::string_view::npos)
      return failure(errc::bad_users_file, where + " has no ':'");
    if (colon == 0) return failure(errc::bad_users_file, where + " has an empty user name");
    std::string user(line.substr(0, colon));
    if (t.users_.count(user))
      return failure(errc::bad_users_file, where + " repeats user '" + user + "'");
    t.users_.emplace(std::move(user), std::string(line.substr(colon + 1)));
  }
  return t;
}

result<user_table> user_table::load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return failure(errc::bad_users_file, "cannot read '" + path + "'");
  std::string text;
  char buf[4096];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) {
    text.append(buf, static_cast<std::size_t>(in.gcount()));
    if (text.size() > max_file_bytes) {
      wipe_string(text);
      return failure(errc::bad_users_file,
                     "'" + path + "' is larger than " + std::to_string(max_file_bytes) + " bytes");
    }
  }
  auto t = parse(text);
  wipe_string(text);
  if (!t) return failure(errc::bad_users_file, "'" + path + "': " + t.error().message);
  return t;
}

bool user_table::check(std::string_view user, std::string_view password) const {
  auto it = users_.find(std::string(user));
  if (it == users_.end()) return false;
  return crypto::constant_time_equal(it->second, password);
}

}  // namespace wst::detail::sts
