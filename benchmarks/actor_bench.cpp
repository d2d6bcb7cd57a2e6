// actor_bench: what one CAF request/response round trip between two actors costs - the hop a
// negotiation makes between client, token store and channel - with the scheduler
// settings wst uses (two workers unless the machine has more cores).
//
//   BM_actor_round_trip/event_based  an event-based actor requests, the other replies, the next
//                                    request goes out from the reply handler (.then): no
//                                    thread blocks; items/s = round trips/s
//   BM_actor_round_trip/envelope     the same carrying a 1,400-byte string each way in (the
//                                    size of the RST an HTTP request carries)
//   BM_actor_round_trip/blocking     a scoped_actor (a plain thread, like request_token_sync)
//                                    requests and waits: adds a thread wake-up per trip
#include <benchmark/benchmark.h>

#include <caf/all.hpp>

#include <algorithm>
#include <string>
#include <thread>

namespace {

using go_atom = caf::atom_constant<caf::atom("go")>;

constexpr int batch = 1000;

caf::behavior echo() {
  return {
      [](int x) { return x + 1; },
      [](const std::string& s) { return s; },
  };
}

struct pinger_state {
  caf::actor pong;
  int left = 0;
  bool envelope = false;
  std::string payload;
  caf::response_promise done;
};

using pinger_actor = caf::stateful_actor<pinger_state>;

void next_trip(pinger_actor* self) {
  auto& st = self->state;
  if (st.left-- == 0) {
    st.done.deliver(0);
    return;
  }
  if (st.envelope)
    self->request(st.pong, caf::infinite, st.payload).then([self](const std::string&) { next_trip(self); });
  else
    self->request(st.pong, caf::infinite, st.left).then([self](int) { next_trip(self); });
}

caf::behavior pinger(pinger_actor* self, caf::actor pong, bool envelope) {
  self->state.pong = std::move(pong);
  self->state.envelope = envelope;
  self->state.payload.assign(1400, 'e');
  return {
      [self](go_atom, int n) {
        self->state.left = n;
        self->state.done = self->make_response_promise();
        next_trip(self);
        return self->state.done;
      },
  };
}

caf::actor_system_config& configure(caf::actor_system_config& cfg) {
  const std::size_t workers = std::max<std::size_t>(2, std::thread::hardware_concurrency());
  cfg.set("scheduler.max-threads", workers);
  cfg.set("work-stealing.moderate-poll-attempts", std::size_t{0});  // as actors/src/runtime.cpp
  return cfg;
}

void event_based(benchmark::State& state, bool envelope) {
  caf::actor_system_config cfg;
  caf::actor_system sys{configure(cfg)};
  auto pong = sys.spawn(echo);
  auto ping = sys.spawn(pinger, pong, envelope);
  caf::scoped_actor self{sys};
  for (auto _ : state) {
    self->request(ping, caf::infinite, go_atom::value, batch)
        .receive([](int) {}, [&](caf::error& e) { state.SkipWithError(sys.render(e).c_str()); });
  }
  state.SetItemsProcessed(state.iterations() * batch);
  self->send_exit(ping, caf::exit_reason::user_shutdown);
  self->send_exit(pong, caf::exit_reason::user_shutdown);
}

void BM_actor_round_trip_event_based(benchmark::State& state) { event_based(state, false); }
void BM_actor_round_trip_envelope(benchmark::State& state) { event_based(state, true); }

void BM_actor_round_trip_blocking(benchmark::State& state) {
  caf::actor_system_config cfg;
  caf::actor_system sys{configure(cfg)};
  auto pong = sys.spawn(echo);
  caf::scoped_actor self{sys};
  int x = 0;
  for (auto _ : state) {
    self->request(pong, caf::infinite, x).receive([&](int y) { x = y; },
                                                  [&](caf::error& e) { state.SkipWithError(sys.render(e).c_str()); });
  }
  state.SetItemsProcessed(state.iterations());
  self->send_exit(pong, caf::exit_reason::user_shutdown);
}

}  // namespace

BENCHMARK(BM_actor_round_trip_event_based)->Name("BM_actor_round_trip/event_based")->UseRealTime();
BENCHMARK(BM_actor_round_trip_envelope)->Name("BM_actor_round_trip/envelope")->UseRealTime();
BENCHMARK(BM_actor_round_trip_blocking)->Name("BM_actor_round_trip/blocking")->UseRealTime();

BENCHMARK_MAIN();
