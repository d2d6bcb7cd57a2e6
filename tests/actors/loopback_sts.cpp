#include "loopback_sts.hpp"

#include <wst/http/writer.hpp>
#include <wst/transport/http_server.hpp>
#include <wst/uv/listener.hpp>
#include <wst/uv/runtime.hpp>

#include <boost/test/unit_test.hpp>

#include <future>
#include <limits>
#include <vector>

namespace wst::test {

namespace transport = wst::detail::transport;
namespace uv = wst::detail::uv;

struct loopback_sts::impl {
  answer_fn answer;
  uv::loop_thread loop{uv::loop_options{std::chrono::milliseconds(2000)}};
  std::unique_ptr<transport::http_server> server;
  std::unique_ptr<uv::listener> listener;
  // Loop thread only:
  std::size_t answer_left = std::numeric_limits<std::size_t>::max();
  std::vector<transport::http_server::respond> held;

  explicit impl(answer_fn a) : answer(std::move(a)) {}
};

loopback_sts::loopback_sts(canned_sts& sts)
    : loopback_sts([&sts](const detail::http::request& req) {
        int status = 200;
        std::string body = sts.reply(req.body, status);
        const bool soap11 = req.headers.find("SOAPAction") != nullptr;
        return detail::http::write_response(status, status == 200 ? "OK" : "Internal Server Error",
                                            soap11 ? "text/xml; charset=utf-8" : "application/soap+xml; charset=utf-8",
                                            body);
      }) {}

loopback_sts::loopback_sts(answer_fn answer) : p_(std::make_unique<impl>(std::move(answer))) {
  BOOST_REQUIRE(p_->loop.start().has_value());
  std::uint16_t port = 0;
  bool ok = p_->loop.run_sync([&] {
    impl* p = p_.get();
    p->server = std::make_unique<transport::http_server>(
        p->loop, [this, p](const detail::http::request& req, transport::http_server::respond done) {
          ++requests_;
          if (p->answer_left == 0) {
            ++held_;
            p->held.push_back(std::move(done));
            return;
          }
          if (p->answer_left != std::numeric_limits<std::size_t>::max()) --p->answer_left;
          done(p->answer(req));
        });
    p->listener = std::make_unique<uv::listener>(p->loop);
    auto r = p->listener->listen_tcp("127.0.0.1", 0, [p](std::unique_ptr<wst::byte_stream> s) {
      p->server->serve(std::move(s));
    }, 1024);
    if (r) port = p->listener->port();
  });
  BOOST_REQUIRE(ok);
  BOOST_REQUIRE_MESSAGE(port != 0, "the loopback STS could not listen");
  url_ = "http://127.0.0.1:" + std::to_string(port) + "/sts";
}

loopback_sts::~loopback_sts() {
  std::promise<void> closed;
  auto f = closed.get_future();
  p_->loop.run_sync([&] {
    impl* p = p_.get();
    p->held.clear();
    auto left = std::make_shared<int>(2);
    auto one_done = [left, &closed] {
      if (--*left == 0) closed.set_value();
    };
    p->listener->close(one_done);
    p->server->close(one_done);
  });
  if (f.wait_for(std::chrono::seconds(10)) != std::future_status::ready)
    BOOST_ERROR("the loopback STS did not close");
  p_->loop.run_sync([&] {
    p_->server.reset();
    p_->listener.reset();
  });
  auto stopped = p_->loop.stop();
  BOOST_CHECK_MESSAGE(stopped.has_value(), "loopback STS loop not empty: " << (stopped ? "" : stopped.error().describe()));
}

void loopback_sts::hold_after(std::size_t n) {
  p_->loop.run_sync([&] { p_->answer_left = n; });
}

}  // namespace wst::test
