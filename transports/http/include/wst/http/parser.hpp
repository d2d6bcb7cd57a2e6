// Incremental HTTP/1.1 parsers over llhttp: the response parser a client feeds with whatever
// the connection delivers, and the request parser servers use. Sans-I/O: bytes in, a message
// or a precise error out. Any split of the input (down to single bytes) gives the same message,
// or an error: a message that breaks two rules at once (say, an over-long header name that
// also holds an invalid character) may report either violation depending on where the
// input was split, since llhttp hands over partial tokens at piece boundaries.
#pragma once

#include <wst/base/result.hpp>
#include <wst/http/message.hpp>

#include <cstddef>
#include <memory>

namespace wst::detail::http {

class parser_state;  // llhttp lives behind this (src/parser.cpp)

// Parses one final response, skipping 1xx interim responses (101 is errc::unsupported).
// Handles Content-Length, chunked (extensions ignored, trailers kept) and close-delimited
// bodies. Limits apply while reading: a message that grows past max_message_size fails as
// soon as the excess arrives, a Content-Length beyond it fails at the header block.
class response_parser {
 public:
  explicit response_parser(const limits& l = {});
  ~response_parser();
  response_parser(response_parser&&) noexcept;
  response_parser& operator=(response_parser&&) noexcept;

  // Feeds the next bytes. Returns how many were consumed: all of them, or fewer once the
  // response is complete (the rest came after it: a client treats the connection as not
  // reusable). After a failure every call returns that failure.
  result<std::size_t> feed(const char* data, std::size_t size);
  // The peer closed the connection: ends a close-delimited body; a response that is still
  // incomplete is errc::truncated. No-op once complete.
  result<void> finish();

  bool complete() const noexcept;
  // Whether any byte has been fed since construction or reset().
  bool started() const noexcept;
  // The response; complete only when complete(). keep_alive is valid when complete.
  response& get() noexcept;
  // Back to the initial state (limits kept) for the next response on the connection.
  void reset();

 private:
  std::unique_ptr<parser_state> s_;
};

// Parses requests one at a time; for pipelined requests feed the unconsumed rest after
// reset(). Same limits; upgrade and CONNECT requests are errc::unsupported.
class request_parser {
 public:
  explicit request_parser(const limits& l = {});
  ~request_parser();
  request_parser(request_parser&&) noexcept;
  request_parser& operator=(request_parser&&) noexcept;

  // As response_parser::feed: consumes up to the end of one request.
  result<std::size_t> feed(const char* data, std::size_t size);
  // End of input: fine between requests, errc::truncated inside one.
  result<void> finish();
  bool complete() const noexcept;
  bool started() const noexcept;
  request& get() noexcept;
  void reset();

 private:
  std::unique_ptr<parser_state> s_;
};

}  // namespace wst::detail::http
