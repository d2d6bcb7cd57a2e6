// Small helpers shared by the test suites.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace wst::test {

// tests/vectors (copied from the project's shared vectors) and tests/data.
std::string vectors_dir();
std::string data_dir();
// Whole file as bytes; fails the current test (BOOST_FAIL) when it cannot be read.
std::string read_file(const std::string& path);
bool file_exists(const std::string& path);
std::vector<std::uint8_t> from_hex(std::string_view hex);
std::string to_hex(const std::uint8_t* p, std::size_t n);
// Calls fn(prefix, rest) for every split point 0..size of `s`.
void for_each_split(std::string_view s, const std::function<void(std::string_view, std::string_view)>& fn);
// Names of the regular files in a directory, sorted.
std::vector<std::string> list_dir(const std::string& dir);

}  // namespace wst::test
