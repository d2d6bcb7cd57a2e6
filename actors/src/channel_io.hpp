// The loop side of a channel: its scheme table (http, https with the channel's TLS context,
// then the fallback registry), stream context and pooled exchange. Every member function runs
// on the channel's loop thread; the channel actor reaches it only through event_loop::post().
// Results go back through `events` (which the channel turns into anon_send to itself); after
// detach() no event fires any more. No CAF here.
#pragma once

#include <wst/actors/messages.hpp>
#include <wst/transport/exchange.hpp>
#include <wst/transport/scheme_registry.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <unordered_map>

namespace wst::detail::actors {

struct channel_io_events {
  std::function<void(std::uint64_t generation, op_status)> opened;
  std::function<void(std::uint64_t wire, soap_reply)> replied;
  std::function<void(std::uint64_t generation, op_status)> closed;
};

class channel_io : public std::enable_shared_from_this<channel_io> {
 public:
  channel_io(channel_site site, const channel_settings& settings, channel_io_events events,
             std::uint64_t generation);
  ~channel_io();
  channel_io(const channel_io&) = delete;
  channel_io& operator=(const channel_io&) = delete;

  // Builds the scheme table (loading the TLS files for an https URL), checks the URL and
  // creates the exchange; reports `opened`.
  void open();
  // Sends one request; reports `replied` with this wire id exactly once (unless detached).
  void send(std::uint64_t wire, soap_request req);
  // Ends one request with aborted (its `replied` comes later with aborted).
  void cancel(std::uint64_t wire);
  // Ends every request in flight with aborted.
  void abort_all();
  // Aborts what is left, closes every connection; reports `closed`.
  void close();
  // Stops reporting and destroys the exchange (connections finish closing on the loop).
  void detach();

 private:
  channel_site site_;
  channel_settings settings_;
  channel_io_events events_;
  std::uint64_t generation_;
  bool detached_ = false;
  std::unique_ptr<transport::scheme_registry> schemes_;
  std::unique_ptr<wst::stream_context> streams_;
  std::unique_ptr<transport::exchange> exchange_;
  std::unordered_map<std::uint64_t, transport::exchange::request_id> wires_;
};

}  // namespace wst::detail::actors
