// Reads a transcript case directory of tests/data (see tests/data/README.md): the request
// description (description.txt) and the expected results (expected.txt), both key=value
// lines; '#' starts a comment line.
#pragma once

#include <wst/core/environment.hpp>
#include <wst/core/request.hpp>

#include <chrono>
#include <cstdint>
#include <map>
#include <string>

namespace wst::test {

using kv_map = std::map<std::string, std::string>;

// key=value lines (value = everything after the first '='); fails the test on a malformed
// line or a repeated key.
kv_map read_kv_file(const std::string& path);

struct transcript_case {
  std::string dir;
  detail::core::request_description description;
  std::chrono::system_clock::time_point now;
  std::uint8_t rng_first_byte = 0;
};

// Builds the description from <dir>/description.txt; files named by *_file keys are read
// from the same directory. Fails the test on an unknown key or value.
transcript_case load_case(const std::string& dir);

// 2024-02-14T02:05:51.482Z -> time_point (fails the test when not a strict xsd:dateTime).
std::chrono::system_clock::time_point time_from_xsd(const std::string& text);

}  // namespace wst::test
