#include <wst/http/parser.hpp>

#include <llhttp.h>

#include <string>

namespace wst::detail::http {

// One llhttp parser plus the message it fills; shared by both parser classes.
class parser_state {
 public:
  parser_state(llhttp_type_t type, const limits& l) : type_(type), limits_(l) { reset(); }

  void reset() {
    llhttp_init(&p_, type_, &settings());
    p_.data = this;
    failed_ = false;
    fail_ = failure();
    complete_ = false;
    started_ = false;
    consumed_ = 0;
    interim_ = 0;
    clear_message();
  }

  result<std::size_t> feed(const char* data, std::size_t size) {
    if (failed_) return fail_;
    if (complete_ || size == 0) return std::size_t{0};
    started_ = true;
    const std::size_t allowance = limits_.max_message_size - consumed_;
    const std::size_t n = size < allowance ? size : allowance;
    if (n == 0) return too_large();
    llhttp_errno_t err = llhttp_execute(&p_, data, n);
    if (err == HPE_OK) {
      consumed_ += n;
      if (n < size) return too_large();
      return n;
    }
    if (err == HPE_PAUSED && complete_) {
      std::size_t used = static_cast<std::size_t>(llhttp_get_error_pos(&p_) - data);
      consumed_ += used;
      return used;
    }
    return fail_from(err, data);
  }

  result<void> finish() {
    if (failed_) return fail_;
    if (complete_) return {};
    if (!started_) {
      if (type_ == HTTP_REQUEST) return {};
      return fail(errc::truncated, "the connection closed before any byte of the response");
    }
    llhttp_errno_t err = llhttp_finish(&p_);
    if (complete_) return {};
    if (err == HPE_OK || err == HPE_INVALID_EOF_STATE)
      return fail(errc::truncated, "the connection closed after " + std::to_string(consumed_) +
                                       " bytes, inside the message");
    return fail_from(err, nullptr);
  }

  bool complete() const noexcept { return complete_; }
  bool started() const noexcept { return started_; }
  response resp;
  request req;

 private:
  static const llhttp_settings_t& settings() {
    static const llhttp_settings_t s = [] {
      llhttp_settings_t v;
      llhttp_settings_init(&v);
      v.on_message_begin = [](llhttp_t* p) { return self(p)->on_message_begin(); };
      v.on_url = [](llhttp_t* p, const char* at, size_t n) {
        return self(p)->append_start(self(p)->req.target, at, n);
      };
      v.on_status = [](llhttp_t* p, const char* at, size_t n) {
        return self(p)->append_start(self(p)->resp.reason, at, n);
      };
      v.on_header_field = [](llhttp_t* p, const char* at, size_t n) {
        return self(p)->on_field(at, n);
      };
      v.on_header_value = [](llhttp_t* p, const char* at, size_t n) {
        return self(p)->on_value(at, n);
      };
      v.on_header_value_complete = [](llhttp_t* p) { return self(p)->on_value_complete(); };
      v.on_headers_complete = [](llhttp_t* p) { return self(p)->on_headers_complete(); };
      v.on_chunk_header = [](llhttp_t* p) { return self(p)->on_chunk_header(); };
      v.on_body = [](llhttp_t* p, const char* at, size_t n) { return self(p)->on_body(at, n); };
      v.on_message_complete = [](llhttp_t* p) { return self(p)->on_message_complete(); };
      return v;
    }();
    return s;
  }
  static parser_state* self(llhttp_t* p) { return static_cast<parser_state*>(p->data); }

  void clear_message() {
    resp = response();
    req = request();
    name_.clear();
    value_.clear();
  }
  header_list& headers() { return type_ == HTTP_RESPONSE ? resp.headers : req.headers; }
  std::string& body() { return type_ == HTTP_RESPONSE ? resp.body : req.body; }

  failure fail(errc e, std::string msg) {
    failed_ = true;
    fail_ = failure(e, std::move(msg));
    return fail_;
  }
  failure too_large() {
    return fail(errc::message_too_large,
                "more than " + std::to_string(limits_.max_message_size) + " bytes");
  }
  // Reports a callback's own failure, or llhttp's reason for a syntax error.
  failure fail_from(llhttp_errno_t err, const char* data) {
    if (failed_) return fail_;
    if (err == HPE_PAUSED_UPGRADE)
      return fail(errc::unsupported, "protocol upgrade / CONNECT is not supported");
    const char* reason = llhttp_get_error_reason(&p_);
    const char* pos = llhttp_get_error_pos(&p_);
    std::size_t at =
        consumed_ + (data && pos && pos >= data ? static_cast<std::size_t>(pos - data) : 0);
    return fail(errc::malformed, std::string(llhttp_errno_name(err)) + ": " +
                                     (reason ? reason : "") + " at byte " + std::to_string(at));
  }
  int reject(errc e, std::string msg) {
    fail(e, std::move(msg));
    return -1;
  }

  int on_message_begin() {
    clear_message();
    return 0;
  }
  int append_start(std::string& dst, const char* at, std::size_t n) {
    if (dst.size() + n > limits_.max_header_size)
      return reject(errc::header_too_large,
                    "start line longer than " + std::to_string(limits_.max_header_size) + " bytes");
    dst.append(at, n);
    return 0;
  }
  int on_field(const char* at, std::size_t n) {
    if (name_.empty() && headers().size() >= limits_.max_headers)
      return reject(errc::too_many_headers,
                    "more than " + std::to_string(limits_.max_headers) + " header fields");
    if (name_.size() + n > limits_.max_header_size)
      return reject(errc::header_too_large, "header field name longer than " +
                                                std::to_string(limits_.max_header_size) + " bytes");
    name_.append(at, n);
    return 0;
  }
  int on_value(const char* at, std::size_t n) {
    if (name_.size() + value_.size() + n > limits_.max_header_size)
      return reject(errc::header_too_large, "header field '" + name_ + "' longer than " +
                                                std::to_string(limits_.max_header_size) + " bytes");
    value_.append(at, n);
    return 0;
  }
  int on_value_complete() {
    std::size_t b = 0, e = value_.size();
    while (b < e && (value_[b] == ' ' || value_[b] == '\t')) ++b;
    while (e > b && (value_[e - 1] == ' ' || value_[e - 1] == '\t')) --e;
    headers().add(std::move(name_), value_.substr(b, e - b));
    name_.clear();
    value_.clear();
    return 0;
  }
  int on_headers_complete() {
    if (type_ == HTTP_RESPONSE) {
      resp.status = llhttp_get_status_code(&p_);
      if (resp.status == 101) return reject(errc::unsupported, "HTTP 101 Switching Protocols");
    } else {
      req.method = llhttp_method_name(static_cast<llhttp_method_t>(llhttp_get_method(&p_)));
      if (llhttp_get_method(&p_) == HTTP_CONNECT)
        return reject(errc::unsupported, "CONNECT requests are not supported");
    }
    if (p_.flags & F_CONTENT_LENGTH) {
      if (p_.content_length > limits_.max_message_size)
        return reject(errc::message_too_large, "Content-Length " +
                                                   std::to_string(p_.content_length) +
                                                   " exceeds the maximum message size " +
                                                   std::to_string(limits_.max_message_size));
      body().reserve(static_cast<std::size_t>(p_.content_length));
    }
    return 0;
  }
  int on_chunk_header() {
    if (p_.content_length > limits_.max_message_size - body().size())
      return reject(errc::message_too_large, "chunk of " + std::to_string(p_.content_length) +
                                                 " bytes exceeds the maximum message size " +
                                                 std::to_string(limits_.max_message_size));
    return 0;
  }
  int on_body(const char* at, std::size_t n) {
    body().append(at, n);
    return 0;
  }
  int on_message_complete() {
    if (type_ == HTTP_RESPONSE && resp.status >= 100 && resp.status < 200) {
      if (++interim_ > 16) return reject(errc::malformed, "more than 16 interim (1xx) responses");
      return 0;  // skip it: the final response follows on the same connection
    }
    bool keep = llhttp_should_keep_alive(&p_) != 0;
    if (type_ == HTTP_RESPONSE)
      resp.keep_alive = keep;
    else
      req.keep_alive = keep;
    complete_ = true;
    return HPE_PAUSED;
  }

  llhttp_t p_;
  llhttp_type_t type_;
  limits limits_;
  bool failed_ = false;
  failure fail_;
  bool complete_ = false;
  bool started_ = false;
  std::size_t consumed_ = 0;
  int interim_ = 0;
  std::string name_, value_;
};

response_parser::response_parser(const limits& l)
    : s_(std::make_unique<parser_state>(HTTP_RESPONSE, l)) {}
response_parser::~response_parser() = default;
response_parser::response_parser(response_parser&&) noexcept = default;
response_parser& response_parser::operator=(response_parser&&) noexcept = default;
result<std::size_t> response_parser::feed(const char* d, std::size_t n) { return s_->feed(d, n); }
result<void> response_parser::finish() { return s_->finish(); }
bool response_parser::complete() const noexcept { return s_->complete(); }
bool response_parser::started() const noexcept { return s_->started(); }
response& response_parser::get() noexcept { return s_->resp; }
void response_parser::reset() { s_->reset(); }

request_parser::request_parser(const limits& l)
    : s_(std::make_unique<parser_state>(HTTP_REQUEST, l)) {}
request_parser::~request_parser() = default;
request_parser::request_parser(request_parser&&) noexcept = default;
request_parser& request_parser::operator=(request_parser&&) noexcept = default;
result<std::size_t> request_parser::feed(const char* d, std::size_t n) { return s_->feed(d, n); }
result<void> request_parser::finish() { return s_->finish(); }
bool request_parser::complete() const noexcept { return s_->complete(); }
bool request_parser::started() const noexcept { return s_->started(); }
request& request_parser::get() noexcept { return s_->req; }
void request_parser::reset() { s_->reset(); }

}  // namespace wst::detail::http
