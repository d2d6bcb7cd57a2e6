// An exchange on a uv loop whose "mem" scheme talks to an in-process peer.
#pragma once

#include "loop_fixture.hpp"

#include <wst/http/writer.hpp>
#include <wst/memory/peer.hpp>
#include <wst/transport/exchange.hpp>
#include <wst/uv/streams.hpp>

#include <memory>
#include <string>
#include <vector>

namespace wst::test {

using reply = detail::result<detail::http::response>;

struct exchange_fixture : loop_fixture {
  detail::memory::peer peer{[this](std::string_view req) { return respond(req); }};
  std::vector<std::string> seen;  // every request the peer answered
  std::string response_body = "<Envelope>reply</Envelope>";
  // The reply's Content-Type; empty: the SOAP media type of the request's version (text/xml
  // for a SOAP 1.1 request, which carries SOAPAction, application/soap+xml otherwise).
  std::string response_content_type;
  detail::transport::scheme_registry schemes;
  detail::uv::loop_context ctx{loop};
  std::unique_ptr<detail::transport::exchange> ex;

  exchange_fixture() {
    BOOST_REQUIRE(!schemes.add("mem", peer.transport()));
    BOOST_REQUIRE(!schemes.add("http", detail::transport::make_tcp_transport(), true));
  }
  ~exchange_fixture() { shut(); }

  std::string respond(std::string_view req) {
    seen.emplace_back(req);
    std::string ct = response_content_type;
    if (ct.empty())
      ct = req.find("\r\nSOAPAction:") != std::string_view::npos ? "text/xml; charset=utf-8"
                                                                 : "application/soap+xml";
    return detail::http::write_response(200, "OK", ct, response_body);
  }

  void make(detail::transport::exchange_options o = {}) {
    on_loop([&]() { ex = std::make_unique<detail::transport::exchange>(ctx, schemes, o); });
  }

  static detail::transport::soap_call call(std::string url = "mem://sts/trust",
                                           std::string body = "<Envelope/>") {
    detail::transport::soap_call c;
    c.url = std::move(url);
    c.action = "urn:test";
    c.body = std::move(body);
    return c;
  }

  // Sends `n` calls at once and waits for every reply (in completion order per index).
  std::vector<reply> send_all(std::vector<detail::transport::soap_call> calls) {
    auto results = std::make_shared<std::vector<std::promise<reply>>>(calls.size());
    std::vector<std::future<reply>> fs;
    for (auto& p : *results) fs.push_back(p.get_future());
    on_loop([&]() {
      for (std::size_t i = 0; i < calls.size(); ++i)
        ex->send(std::move(calls[i]),
                 [results, i](reply r) { (*results)[i].set_value(std::move(r)); });
    });
    std::vector<reply> out;
    for (auto& f : fs) out.push_back(await(f));
    return out;
  }

  reply send_one(detail::transport::soap_call c = call()) {
    std::vector<detail::transport::soap_call> v;
    v.push_back(std::move(c));
    return std::move(send_all(std::move(v)).front());
  }

  detail::transport::exchange::stats stats() {
    detail::transport::exchange::stats s;
    on_loop([&]() { s = ex->statistics(); });
    return s;
  }

  // Closes the exchange and waits until every stream is closed.
  void shut() {
    if (!ex) return;
    std::promise<std::error_code> p;
    auto f = p.get_future();
    on_loop([&]() { ex->close([&](std::error_code ec) { p.set_value(ec); }); });
    BOOST_CHECK(!await(f));
    on_loop([&]() { ex.reset(); });
    // Posted releases run before the loop stops (the fixture's stop checks it is empty).
    on_loop([]() {});
    BOOST_TEST(peer.open_streams() == 0u);
  }
};

inline std::string describe(const reply& r) {
  return r ? "HTTP " + std::to_string(r->status) : r.error().describe();
}

}  // namespace wst::test
